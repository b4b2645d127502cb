/* A global changed by a read-modify-write store: a watchpoint must stop once per store
 * and the store must happen once. */
int counter;

__attribute__((noinline)) void bump(void)
{
    counter += 5;
}

int main(void)
{
    bump();
    bump();
    return counter;
}
