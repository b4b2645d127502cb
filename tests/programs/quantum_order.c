/* Two children compute and print a letter after every chunk; the parent waits for both. The
 * order of the letters is where preemption fell: the same for the same --quantum. */
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    for (int c = 0; c < 2; c++) {
        if (fork() == 0) {
            for (int i = 0; i < 40; i++) {
                volatile unsigned x = 0;
                for (int k = 0; k < 20000; k++)
                    x += k;
                char ch = (char)('A' + c);
                write(1, &ch, 1);
            }
            _exit(0);
        }
    }
    while (wait(NULL) > 0)
        ;
    write(1, "\n", 1);
    return 0;
}
