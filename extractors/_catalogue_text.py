"""Feature catalogue of the text sets ``text_surface`` and ``lexicon`` (see
:mod:`emofeat.feature_catalogue`)."""

from emofeat.feature_catalogue import Descriptor, SetDoc

_VADER = "vaderSentiment 3.3.2 `polarity_scores`"
_VADER_AG = ("identical on 100 % of GoEmotions, CARER and ISEAR texts (81,929; "
             "tests/test_text_vader.py asserts 1e-4 and bit-identity)")
_SENT_AG = ("|difference| <= 5e-5 (vaderSentiment rounds to 4 decimals; worst 4.998e-5), "
            "mean within 1e-15 of the unrounded reference, on 7,000 real texts "
            "(tests/test_text_lexicon_set.py)")
_NORM = ("normalise",)
_LEX = ("lexicons", "negation", "negation_scope", "intensifiers", "normalise")


def _row(name, unit, definition, params=(), reference="none", agreement="", **kw):
    return Descriptor("{set}_" + name, unit, definition, kind="row", params=params,
                      reference=reference, agreement=agreement, **kw)


def _style(name, unit, definition):
    return _row("style_" + name, unit, definition, params=("style",),
                reference="plain counts over TweetTokenizer tokens",
                agreement="hand-made cases (tests/test_text_lexicons.py)")


SETS = [
    SetDoc(
        sets=("text_surface",),
        reference="plain string counts of the text as the lexicon set's normalisation reads it",
        agreement="exact (property test over arbitrary Unicode, and every column on all 81,929 "
                  "GoEmotions, CARER and ISEAR texts against plain string counting of the text "
                  "as read: the invisible characters dropped by a plain rule of their own, then "
                  "the lexicon set's fold, tested in tests/test_text_tokenize.py; "
                  "tests/test_text_surface.py).",
        page="text.md",
        descriptors=(
            Descriptor("{set}_chars", "characters",
                       "Length of the token (a run of word characters with inner apostrophes, "
                       "a run of two or more dots (an ellipsis), or one other non-space "
                       "character; with the extending characters after "
                       "it: combining marks, zero-width joiner and non-joiner, skin-tone "
                       "modifiers, tags; an emoji sequence, i.e. a flag or symbols joined by "
                       "U+200D, is one token) in characters, of the text as the lexicon set's "
                       "tokenizer reads it (one fold for both sets): the characters that only "
                       "format a text dropped (variation selectors, soft hyphen, zero-width "
                       "space, direction marks, joiners that join nothing), full-width, "
                       "circled and font letters and ligatures folded as NFKC folds them, "
                       "NFC, apostrophe look-alikes and accents between letters as a straight "
                       "apostrophe, and HTML entities decoded to the characters they stand for.",
                       reference="len()", agreement="exact"),
            Descriptor("{set}_exclamation", "1 (0 or 1)", "1 for a '!' token, else 0; its sum "
                       "counts the text's exclamation marks.",
                       reference="str.count", agreement="exact"),
            Descriptor("{set}_question", "1 (0 or 1)", "1 for a '?' token, else 0.",
                       reference="str.count", agreement="exact"),
            Descriptor("{set}_allcaps", "1 (0 or 1; NaN for other tokens)",
                       "For a word token of 2+ characters with a cased letter: 1 if every "
                       "cased letter is upper case (str.isupper); its mean is the all-caps "
                       "ratio.", reference="str.isupper", agreement="exact"),
        ),
    ),
    SetDoc(
        sets=("lexicon",),
        reference=_VADER + " (VADER columns); AFINN-en-165 (bundled)",
        agreement="VADER " + _VADER_AG + "; lexicon counting rules equal to a plain-Python "
                  "re-implementation to 1e-12 on 400 real texts (tests/test_text_lexicons.py).",
        page="text.md",
        notes="with NRC or user lexicons (`lexicons=[..., (\"nrc_emolex\", path)]`, your "
              "files), per lexicon `<name>` and category: signed lexicons "
              "`lexicon_<name>_<category>_sum`, `_mean`, `_n_pos`, `_n_neg`; binary "
              "`lexicon_<name>_<category>` (count of associated words); rating `_sum`, "
              "`_mean`; and `lexicon_<name>_n_matched`, defined as the AFINN columns above "
              "(intensifiers scale signed lexicons only, not 0..1 ratings such as NRC VAD).",
        descriptors=(
            _row("vader_neg", "1 (share)", "VADER's negative share of the text's valence.",
                 reference=_VADER, agreement=_VADER_AG),
            _row("vader_neu", "1 (share)", "VADER's neutral share.", reference=_VADER,
                 agreement=_VADER_AG),
            _row("vader_pos", "1 (share)", "VADER's positive share.", reference=_VADER,
                 agreement=_VADER_AG),
            _row("vader_compound", "1 ([-1, 1])",
                 "s / sqrt(s^2 + 15), s the rule-adjusted sum of the words' valences.",
                 reference=_VADER, agreement=_VADER_AG),
            _row("vader_sent_compound_mean", "1 ([-1, 1])",
                 "Mean of the unrounded compound of each sentence (split after . ! ? and "
                 "white space); 0 for an empty text.", params=("vader_sentences",),
                 reference=_VADER + " per sentence", agreement=_SENT_AG),
            _row("vader_sent_compound_min", "1 ([-1, 1])", "Smallest sentence compound.",
                 params=("vader_sentences",), reference=_VADER + " per sentence",
                 agreement=_SENT_AG),
            _row("vader_sent_compound_max", "1 ([-1, 1])", "Largest sentence compound.",
                 params=("vader_sentences",), reference=_VADER + " per sentence",
                 agreement=_SENT_AG),
            _row("afinn_sum", "AFINN valence (-5..5) per token",
                 "Sum of the matched words' AFINN scores (negation flips, intensifiers "
                 "scale), divided by the number of tokens (normalise=\"token\").", _LEX,
                 "AFINN-en-165", "re-implementation, 1e-12"),
            _row("afinn_mean", "AFINN valence (-5..5)", "Mean score of the matched words "
                 "(0-scored entries such as 'kind of' consume their words but are no match).",
                 _LEX, "AFINN-en-165", "re-implementation, 1e-12"),
            _row("afinn_n_pos", "words per token", "Matched words with a positive score.",
                 _LEX, "AFINN-en-165", "re-implementation, 1e-12"),
            _row("afinn_n_neg", "words per token", "Matched words with a negative score.",
                 _LEX, "AFINN-en-165", "re-implementation, 1e-12"),
            _row("afinn_n_matched", "words per token", "Matched words and phrases (not "
                 "0-scored entries).",
                 _LEX, "AFINN-en-165", "re-implementation, 1e-12"),
            _style("n_tokens", "tokens", "Tokens (TweetTokenizer)."),
            _style("type_token_ratio", "1", "Distinct tokens / tokens (0 for no token)."),
            _style("n_words", "tokens", "Tokens with a letter (not emoticons such as xD)."),
            _style("n_sentences", "sentences", "Runs of tokens ended by . ! ? or the end."),
            _style("n_exclamation", "characters", "'!' characters."),
            _style("n_question", "characters", "'?' characters."),
            _style("allcaps_ratio", "1", "Share of words of 2+ letters that are all upper "
                   "case (hashtags, mentions, URLs excluded)."),
            _style("n_allcaps", "words", "Words of 2+ letters that are all upper case."),
            _style("n_elongated", "words", "Words with a letter repeated 3+ times in a row."),
            _style("n_emoji", "tokens", "Emoji tokens (Unicode's emoji, flags, keycaps, "
                   "including sequences; not other symbols such as ° or ♪)."),
            _style("n_emoticon", "tokens", "Emoticon tokens."),
            _style("emoji_valence_sum", "VADER compound",
                   "Sum of each emoji's VADER compound (through its description)."),
            _style("emoticon_valence_sum", "VADER compound",
                   "Sum of each emoticon's VADER compound."),
            _style("n_hashtags", "tokens", "Hashtag tokens."),
            _style("n_mentions", "tokens", "@mention tokens."),
            _style("n_urls", "tokens", "URL tokens."),
            _style("n_numbers", "tokens", "Number tokens."),
            _style("n_punct", "tokens", "Punctuation and other non-word symbol tokens."),
        ),
    ),
]
