"""The Win32 API personality behind the DLLs generated from the NT tables' shadow (kernel32,
msvcrt, ucrtbase, vcruntime140, advapi32, and ntdll's run-time library): handlers
`sys_<dll>_<Name>(process, *args)` returning the API's own value. API-set contracts resolve
through tables/apisets.txt (apisets.py); exceptions are dispatched by seh.py (x64) and
seh_i386.py; threads and waits are threads.py and kernel32_wait.py; per-thread state is
state.py."""
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
from .kernel32_iocp import *  # noqa: F401,F403
from .kernel32_datefmt import *  # noqa: F401,F403
from .kernel32_tpwork import *  # noqa: F401,F403
from .dbghelp import *  # noqa: F401,F403
from .cryptapi_hash import *  # noqa: F401,F403
from .resources import *  # noqa: F401,F403
from .kernel32_modules import *  # noqa: F401,F403
from .kernel32_library import *  # noqa: F401,F403
from .crtpath import *  # noqa: F401,F403
from .kernel32_dirwatch import sys_kernel32_ReadDirectoryChangesW  # noqa: F401
from .shlwapi import *  # noqa: F401,F403
from .seh import *  # noqa: F401,F403
from .kernel32_wait import *  # noqa: F401,F403
from .threads import *  # noqa: F401,F403
from .ucrt import *  # noqa: F401,F403
from .kernel32_misc import *  # noqa: F401,F403
from .advapi32 import *  # noqa: F401,F403
from .security import *  # noqa: F401,F403
from .registry import *  # noqa: F401,F403
from .etw import *  # noqa: F401,F403
from .toolhelp import *  # noqa: F401,F403
from .kernel32_global import *  # noqa: F401,F403
from .apc import sys_kernel32_ReadFileEx, sys_kernel32_WriteFileEx  # noqa: F401
from .cxxeh import *  # noqa: F401,F403
from .cxxrtti import *  # noqa: F401,F403
from .cxxeh_i386 import sys_vcruntime140___CxxFrameHandler3_32, sys_vcruntime140__CxxThrowException32  # noqa: F401
from .ws2_32 import *  # noqa: F401,F403
from .winsock import *  # noqa: F401,F403
from .winsock_options import *  # noqa: F401,F403
from .winsock_select import *  # noqa: F401,F403
from .winsock_overlapped import *  # noqa: F401,F403
from .winsock_names import *  # noqa: F401,F403
from .winsock_events import *  # noqa: F401,F403
from .iphlpapi import *  # noqa: F401,F403
from .kernel32_memory import *  # noqa: F401,F403
from .kernel32_once import *  # noqa: F401,F403
from .kernel32_timezone import *  # noqa: F401,F403
from .kernel32_geo import *  # noqa: F401,F403
from .kernel32_slist import *  # noqa: F401,F403
from .bcryptprimitives import *  # noqa: F401,F403
from .msvcp import *  # noqa: F401,F403
from .msvcp_runtime import *  # noqa: F401,F403
from .messages import *  # noqa: F401,F403
from .userdirs import *  # noqa: F401,F403
from .shell32 import *  # noqa: F401,F403
from .com import *  # noqa: F401,F403
from .user32 import *  # noqa: F401,F403
from .winmm import *  # noqa: F401,F403
from .crtwide import *  # noqa: F401,F403
from .crtwidestr import *  # noqa: F401,F403
from .crtsecure import *  # noqa: F401,F403
from .crtfind import *  # noqa: F401,F403
from .crtstat import *  # noqa: F401,F403
from .kernel32_timer import *  # noqa: F401,F403
from .crtmath import *  # noqa: F401,F403
from .kernel32_mapping import *  # noqa: F401,F403
from .powrprof import *  # noqa: F401,F403
from .scanf import *  # noqa: F401,F403
from .crtlocale import *  # noqa: F401,F403
from .version import *  # noqa: F401,F403
from .kernel32_fiber import *  # noqa: F401,F403
from .ntcall import sys_ntdll_RtlNtStatusToDosError  # noqa: F401
from .ntdll_rtl import *  # noqa: F401,F403
from .callback import sys_msvcrt___sysvec_callback_return  # noqa: F401
