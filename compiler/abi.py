"""The ABI facts the trap path, the DLL stubs and the runtime share; this is their one home (the
build hands them to the C code as SV_SHADOW_BIT and SV_MAX_ARGS). A module of its own, so that
the runtime reads them without loading the compiler's model."""

SHADOW_BIT = 0x1000   # numbers with this bit dispatch to the table's shadow, as win32k's do
MAX_ARGS = 17         # arguments a call may take when they come from the stack
