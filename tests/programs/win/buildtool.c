/* A build step for ninja tests: `buildtool cat OUT IN...` writes the inputs' concatenation to
   OUT and says so on stdout; `buildtool fail N` complains on stderr and exits with N. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "cat") == 0) {
        FILE *out = fopen(argv[2], "wb");
        if (!out) {
            fprintf(stderr, "buildtool: cannot create %s\n", argv[2]);
            return 1;
        }
        for (int i = 3; i < argc; i++) {
            FILE *in = fopen(argv[i], "rb");
            char buf[512];
            size_t n;
            if (!in) {
                fprintf(stderr, "buildtool: cannot open %s\n", argv[i]);
                return 1;
            }
            while ((n = fread(buf, 1, sizeof buf, in)) > 0)
                fwrite(buf, 1, n, out);
            fclose(in);
        }
        fclose(out);
        printf("built %s from %d inputs\n", argv[2], argc - 3);
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "fail") == 0) {
        fprintf(stderr, "buildtool: failing with %s\n", argv[2]);
        return atoi(argv[2]);
    }
    fprintf(stderr, "usage: buildtool cat OUT IN... | buildtool fail N\n");
    return 2;
}
