/* Spins until a debugger sets `released`; then exits 7. */
volatile int released;
volatile long spins;

void spin(void)
{
    spins++;
}

int main(void)
{
    while (!released)
        spin();
    return 7;
}
