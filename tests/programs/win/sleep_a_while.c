/* Sleeps a second and a half: a Windows process for a Linux one to look at. */
#include <windows.h>
int main(void)
{
    Sleep(1500);
    return 0;
}
