/* A plugin built twice (WHICH "A" and "B") into two directories under one file name. */
__declspec(dllexport) const char *which(void) { return WHICH; }
