#include <stdio.h>

int counter;

int add(int a, int b)
{
    int sum = a + b;
    return sum;
}

int main(int argc, char **argv)
{
    int x = 40;
    int y = add(x, 2);
    counter = y;
    printf("y=%d\n", y);
    return y - 40;
}
