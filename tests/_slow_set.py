"""A feature set that takes its time and a CLI driver that registers it, written into a
test's folder by the tests that kill a run in the middle (tests/test_batch_*.py)."""

SLOW_SET = '''
    import time
    from emofeat.extractors import MFCC

    class SlowMFCC(MFCC):
        """MFCC that takes its time, so that a test can kill a run in the middle."""

        set_name = "slow_mfcc"

        def features_of(self, audio):
            time.sleep(0.15)
            return super().features_of(audio)
'''

DRIVER = '''
    import sys
    from emofeat.cli import main
    from emofeat.registry import SetInfo, register

    register(SetInfo("slow_mfcc", "slowset:SlowMFCC", "MFCC, slowly (tests)"))
    sys.exit(main(sys.argv[1:]))
'''
