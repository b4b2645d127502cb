"""The Win32 API personality behind kernel32.dll and msvcrt.dll (the NT tables' shadow):
handlers `sys_<dll>_<Name>(process, *args)` returning the API's own value."""
from .kernel32 import *  # noqa: F401,F403
from .msvcrt import *    # noqa: F401,F403
from .stdlib import *    # noqa: F401,F403
from .crtcalls import *  # noqa: F401,F403
from .crtstrings import *  # noqa: F401,F403
from .crttime import *  # noqa: F401,F403
from .crtfloat import *  # noqa: F401,F403
from .crtjump import *  # noqa: F401,F403
from .crtio import *  # noqa: F401,F403
from .crtdir import *  # noqa: F401,F403
from .kernel32_system import *  # noqa: F401,F403
from .kernel32_sync import *  # noqa: F401,F403
from .kernel32_startup import *  # noqa: F401,F403
from .kernel32_files import *  # noqa: F401,F403
from .kernel32_locale import *  # noqa: F401,F403
from .kernel32_console import *  # noqa: F401,F403
from .kernel32_process import *  # noqa: F401,F403
from .kernel32_pipe import *  # noqa: F401,F403
from .shlwapi import *  # noqa: F401,F403
from .seh import *  # noqa: F401,F403
from .kernel32_wait import *  # noqa: F401,F403
from .threads import *  # noqa: F401,F403
from .ucrt import *  # noqa: F401,F403
from .kernel32_misc import *  # noqa: F401,F403
from .advapi32 import *  # noqa: F401,F403
from .callback import sys_msvcrt___sysvec_callback_return  # noqa: F401
