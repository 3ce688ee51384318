"""How a supervised run ends, as an exit code a script can act on."""

from evaluator.commands.exit_codes import EXIT_INTERRUPTED, EXIT_PLATFORM_CRASHED, supervised_exit_code
from evaluator.harness.supervisor import PlatformExit


def ended(returncode: int, stopped_by_user: bool = False) -> PlatformExit:
    return PlatformExit("p", returncode, 0, 1, stopped_by_user)


def test_exit_code_of_a_supervised_run():
    assert supervised_exit_code([ended(0), ended(0)]) == 0
    assert supervised_exit_code([ended(0), ended(-9)]) == EXIT_PLATFORM_CRASHED
    assert supervised_exit_code([ended(130, stopped_by_user=True), ended(0)]) == EXIT_INTERRUPTED
    assert not ended(130, stopped_by_user=True).crashed and ended(130).crashed
