/* poll on pipes, /dev/null, a regular file and the program's stdin, ready or not, with
 * waits between them: what each entry reports, and that a wait keeps its own timeout (a
 * poll that waited leaves nothing behind for the next one). The output is the same on Linux. */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void show(const char *what, struct pollfd *fds, int n, int rc)
{
    printf("%s rc=%d", what, rc);
    for (int i = 0; i < n; i++)
        printf(" %#x", (unsigned short)fds[i].revents);
    printf("\n");
}

/* A child that writes one byte into w after ms milliseconds. */
static pid_t write_later(int w, int ms)
{
    pid_t pid = fork();
    if (pid == 0) {
        usleep(ms * 1000);
        write(w, "x", 1);
        _exit(0);
    }
    return pid;
}

int main(void)
{
    int p[2];
    char buf[70000];
    pipe(p);
    struct pollfd r = {p[0], POLLIN, 0}, w = {p[1], POLLOUT, 0};
    show("empty", &r, 1, poll(&r, 1, 0));
    show("room", &w, 1, poll(&w, 1, 0));
    write(p[1], "ab", 2);
    show("data", &r, 1, poll(&r, 1, -1));
    struct pollfd both[3] = {{p[0], POLLIN | POLLOUT, 0}, {-1, POLLIN, 0}, {p[1], POLLIN, 0}};
    show("both", both, 3, poll(both, 3, 0));

    fcntl(p[1], F_SETFL, O_NONBLOCK);
    while (write(p[1], buf, sizeof buf) > 0)
        ;
    show("full", &w, 1, poll(&w, 1, 0));
    read(p[0], buf, 100);
    show("little_room", &w, 1, poll(&w, 1, 0));
    read(p[0], buf, 8000);
    show("room_again", &w, 1, poll(&w, 1, 0));
    while (read(p[0], buf, sizeof buf) == sizeof buf)
        ;
    close(p[1]);
    show("hup", &r, 1, poll(&r, 1, -1));
    close(p[0]);

    pipe(p);
    close(p[0]);
    show("no_reader", &w, 1, poll(&(struct pollfd){p[1], POLLOUT, 0}, 1, 0));
    w.fd = p[1];
    show("no_reader", &w, 1, poll(&w, 1, 0));
    close(p[1]);

    int null = open("/dev/null", O_RDWR);
    int file = open("poll_ready.txt", O_RDWR | O_CREAT, 0644);
    struct pollfd dev[3] = {{null, POLLIN | POLLOUT | POLLPRI, 0}, {file, POLLIN, 0},
                            {file, POLLOUT, 0}};
    show("devices", dev, 3, poll(dev, 3, 0));
    struct pollfd bad[2] = {{null, POLLIN, 0}, {999, POLLIN, 0}};
    show("bad_fd", bad, 2, poll(bad, 2, 0));

    /* waits: woken by a writer, then a timeout of its own, twice */
    pipe(p);
    r.fd = p[0];
    pid_t child = write_later(p[1], 50);
    show("woken", &r, 1, poll(&r, 1, 20000));
    waitpid(child, NULL, 0);
    read(p[0], buf, 1);
    for (int i = 0; i < 2; i++) {
        double t0 = now();
        int rc = poll(&r, 1, 100);
        double waited = now() - t0;   /* its own 100 ms, not what is left of the 20 s */
        printf("timeout rc=%d waited=%d\n", rc, waited >= 0.09 && waited < 10);
    }
    child = write_later(p[1], 30);
    show("woken_again", &r, 1, poll(&r, 1, -1));
    waitpid(child, NULL, 0);
    unlink("poll_ready.txt");
    return 0;
}
