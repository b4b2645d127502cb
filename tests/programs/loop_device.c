/* A loop device bound to a file as LTP's tst_acquire_device binds one: a free number from
 * /dev/loop-control, LOOP_SET_FD and LOOP_SET_STATUS, the size by BLKGETSIZE64, the file's
 * bytes read through the device, then LOOP_CLR_FD until ENXIO. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define SHOW(what, call) do { errno = 0; long r_ = (long)(call); \
    if (r_ < 0) printf("%s: errno %d\n", what, errno); else printf("%s: %ld\n", what, r_); } while (0)

int main(void)
{
    struct loop_info info;
    struct loop_info64 info64;
    unsigned long long size = 0;
    char path[64], buf[8] = "";
    struct stat st;
    int ctl, n, dev, file;

    ctl = open("/dev/loop-control", O_RDWR);
    n = ioctl(ctl, LOOP_CTL_GET_FREE);
    close(ctl);
    snprintf(path, sizeof path, "/dev/loop%d", n);
    stat(path, &st);
    printf("free device is a block device: %d\n", n >= 0 && S_ISBLK(st.st_mode));
    file = open("/tmp/img", O_CREAT | O_RDWR, 0600);
    ftruncate(file, 3 << 20);
    pwrite(file, "sysvec", 6, 4096);
    dev = open(path, O_RDWR);
    SHOW("get status while free", ioctl(dev, LOOP_GET_STATUS, &info));
    SHOW("set fd", ioctl(dev, LOOP_SET_FD, file));
    SHOW("set fd again", ioctl(dev, LOOP_SET_FD, file));
    memset(&info, 0, sizeof info);
    strcpy(info.lo_name, "img");
    SHOW("set status", ioctl(dev, LOOP_SET_STATUS, &info));
    SHOW("get status64", ioctl(dev, LOOP_GET_STATUS64, &info64));
    printf("name %s\n", (char *)info64.lo_file_name);
    SHOW("size", ioctl(dev, BLKGETSIZE64, &size));
    printf("size MB %llu\n", size >> 20);
    ctl = open("/dev/loop-control", O_RDWR);
    printf("next free differs: %d\n", ioctl(ctl, LOOP_CTL_GET_FREE) != n);
    close(ctl);
    lseek(dev, 4096, SEEK_SET);
    SHOW("read through the device", read(dev, buf, 6));
    printf("bytes %.6s\n", buf);
    close(file);
    SHOW("clear", ioctl(dev, LOOP_CLR_FD, 0));
    SHOW("clear again", ioctl(dev, LOOP_CLR_FD, 0));
    SHOW("not a loop ioctl", ioctl(dev, 0x5401, 0));
    close(dev);
    return 0;
}
