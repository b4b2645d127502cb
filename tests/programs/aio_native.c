/* Linux native AIO through the raw system calls (as libaio makes them): io_setup's ring
   (libaio reads its header), a write and a read submitted together and reaped by
   io_getevents with their data and results, an fsync, an eventfd told of a completion,
   a bad descriptor refused, io_getevents' timeout with nothing to reap, io_destroy; and
   vmsplice into and out of a pipe. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>

struct ring { unsigned id, nr, head, tail, magic, compat, incompat, header; };

int main(void)
{
    aio_context_t ctx = 0;
    long r = syscall(SYS_io_setup, 8, &ctx);
    struct ring *ring = (struct ring *)ctx;
    printf("setup %ld magic %d empty %d\n", r, ring->magic == 0xa10a10a1, ring->head == ring->tail);
    aio_context_t again = ctx;
    r = syscall(SYS_io_setup, 8, &again);
    int again_errno = errno;
    printf("setup over a context %ld %d\n", r, again_errno);

    int fd = open("aio.dat", O_RDWR | O_CREAT | O_TRUNC, 0600);
    int efd = eventfd(0, 0);
    char out[] = "asynchronous", in[16] = {0};
    struct iocb write_cb = {0}, read_cb = {0}, sync_cb = {0};
    write_cb.aio_data = 1; write_cb.aio_lio_opcode = IOCB_CMD_PWRITE; write_cb.aio_fildes = fd;
    write_cb.aio_buf = (uintptr_t)out; write_cb.aio_nbytes = 12; write_cb.aio_offset = 4;
    write_cb.aio_flags = IOCB_FLAG_RESFD; write_cb.aio_resfd = efd;
    read_cb.aio_data = 2; read_cb.aio_lio_opcode = IOCB_CMD_PREAD; read_cb.aio_fildes = fd;
    read_cb.aio_buf = (uintptr_t)in; read_cb.aio_nbytes = 5; read_cb.aio_offset = 6;
    sync_cb.aio_data = 3; sync_cb.aio_lio_opcode = IOCB_CMD_FDSYNC; sync_cb.aio_fildes = fd;
    struct iocb *cbs[] = {&write_cb, &read_cb, &sync_cb};
    r = syscall(SYS_io_submit, ctx, 3, cbs);
    uint64_t told = 0;
    read(efd, &told, sizeof told);
    printf("submitted %ld eventfd %llu pending %d\n", r, (unsigned long long)told,
           ring->head != ring->tail);
    struct io_event events[8], sorted[3];
    int reaped = 0;
    while (reaped < 3) {            /* the kernel may complete the fsync later: reap all */
        r = syscall(SYS_io_getevents, ctx, 1, 8, events, NULL);
        for (int i = 0; i < r; i++)
            sorted[events[i].data - 1] = events[i];
        reaped += r > 0 ? r : 0;
        if (r <= 0)
            break;
    }
    printf("reaped %d:", reaped);
    for (int i = 0; i < reaped; i++)
        printf(" [%llu %lld %d]", (unsigned long long)sorted[i].data, (long long)sorted[i].res,
               sorted[i].obj == (uintptr_t)cbs[i]);
    printf(" read [%s] empty %d\n", in, ring->head == ring->tail);

    struct iocb bad = {0};
    bad.aio_lio_opcode = IOCB_CMD_PREAD; bad.aio_fildes = 999; bad.aio_buf = (uintptr_t)in;
    bad.aio_nbytes = 1;
    struct iocb *bads[] = {&bad};
    r = syscall(SYS_io_submit, ctx, 1, bads);
    int bad_errno = errno;
    printf("bad fd %ld %d\n", r, bad_errno);
    struct timespec soon = {0, 20 * 1000 * 1000};
    r = syscall(SYS_io_getevents, ctx, 1, 8, events, &soon);
    printf("timeout %ld\n", r);
    long destroyed = syscall(SYS_io_destroy, ctx);
    long twice = syscall(SYS_io_destroy, ctx);
    printf("destroy %ld again %ld %d\n", destroyed, twice, errno);

    int p[2];
    pipe(p);
    char a[] = "vm", b[] = "splice", got[16] = {0};
    struct iovec to_pipe[] = {{a, 2}, {b, 6}};
    long put = syscall(SYS_vmsplice, p[1], to_pipe, 2, 0);
    struct iovec from_pipe[] = {{got, 3}, {got + 3, 10}};
    long taken = syscall(SYS_vmsplice, p[0], from_pipe, 2, 0);
    long none = syscall(SYS_vmsplice, p[0], from_pipe, 2, 2 /* SPLICE_F_NONBLOCK */);
    int nonblock_errno = errno;
    long not_pipe = syscall(SYS_vmsplice, fd, to_pipe, 1, 0);
    int not_pipe_errno = errno;
    printf("vmsplice %ld %ld [%s] empty %ld %d file %ld %d\n", put, taken, got, none,
           nonblock_errno, not_pipe, not_pipe_errno);
    unlink("aio.dat");
    return 0;
}
