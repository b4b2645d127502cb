"""The Win32 API personality behind kernel32.dll and msvcrt.dll (the NT tables' shadow):
handlers `sys_<dll>_<Name>(process, *args)` returning the API's own value."""
from .kernel32 import *  # noqa: F401,F403
from .msvcrt import *    # noqa: F401,F403
from .stdlib import *    # noqa: F401,F403
