/* The vDSO as C libraries and Go find it: the auxiliary vector's AT_SYSINFO_EHDR names an
 * ELF image; its dynamic section, DT_HASH and version definitions give the time functions
 * by name and version; calling them agrees with the system calls. On i386, AT_SYSINFO is
 * __kernel_vsyscall, and a handler installed without SA_RESTORER returns through the vDSO's
 * sigreturn. Prints the same lines on Linux. */
#include <elf.h>
#include <link.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static ElfW(Sym) *symtab;
static const char *strtab;
static ElfW(Half) *versym;
static ElfW(Verdef) *verdef;
static unsigned nsyms;
static ElfW(Addr) bias;

static const char *version_of(int index)
{
    ElfW(Verdef) *d = verdef;
    for (;;) {
        if ((d->vd_ndx & 0x7fff) == (index & 0x7fff)) {
            ElfW(Verdaux) *aux = (void *)((char *)d + d->vd_aux);
            return strtab + aux->vda_name;
        }
        if (!d->vd_next)
            return "?";
        d = (void *)((char *)d + d->vd_next);
    }
}

static void *lookup(const char *name, const char *version)
{
    for (unsigned i = 1; i < nsyms; i++) {
        ElfW(Sym) *s = &symtab[i];
        if (ELF64_ST_TYPE(s->st_info) != STT_FUNC || s->st_shndx == SHN_UNDEF)
            continue;
        if (strcmp(strtab + s->st_name, name) != 0)
            continue;
        if (versym && strcmp(version_of(versym[i]), version) != 0)
            continue;
        return (void *)(bias + s->st_value);
    }
    return NULL;
}

static int parse(void)
{
    char *base = (char *)getauxval(AT_SYSINFO_EHDR);
    if (!base)
        return -1;
    ElfW(Ehdr) *eh = (void *)base;
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_type != ET_DYN)
        return -2;
    ElfW(Phdr) *ph = (void *)(base + eh->e_phoff);
    ElfW(Dyn) *dyn = NULL;
    int loads = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD && !loads++)
            bias = (ElfW(Addr))base + ph[i].p_offset - ph[i].p_vaddr;
        if (ph[i].p_type == PT_DYNAMIC)
            dyn = (void *)(base + ph[i].p_offset);
    }
    if (!dyn || !loads)
        return -3;
    const char *soname = NULL;
    size_t soname_off = 0;
    for (; dyn->d_tag != DT_NULL; dyn++) {
        void *p = (void *)(bias + dyn->d_un.d_ptr);
        switch (dyn->d_tag) {
        case DT_STRTAB: strtab = p; break;
        case DT_SYMTAB: symtab = p; break;
        case DT_HASH: nsyms = ((Elf32_Word *)p)[1]; break;
        case DT_VERSYM: versym = p; break;
        case DT_VERDEF: verdef = p; break;
        case DT_SONAME: soname_off = dyn->d_un.d_val; soname = ""; break;
        }
    }
    if (!strtab || !symtab || !nsyms)
        return -4;
    printf("soname %s\n", soname ? strtab + soname_off : "(none)");
    return 0;
}

#ifdef __i386__
static volatile int handled;
static void plain(int sig) { handled = sig; }
static void with_info(int sig, siginfo_t *info, void *uc) { (void)uc; handled = info->si_signo == sig ? sig : -1; }

struct kernel_sigaction { void *handler; unsigned long flags; void *restorer; unsigned mask[2]; };

static void i386_checks(void)
{
    void *vsyscall = lookup("__kernel_vsyscall", "LINUX_2.5");
    printf("__kernel_vsyscall is AT_SYSINFO: %d\n",
           vsyscall && (unsigned long)vsyscall == getauxval(AT_SYSINFO));
    long pid;
    __asm__ volatile("call *%1" : "=a"(pid) : "r"(vsyscall), "0"((long)SYS_getpid) : "memory");
    printf("vsyscall getpid agrees: %d\n", pid == syscall(SYS_getpid));
    printf("sigreturns: %d %d\n", lookup("__kernel_sigreturn", "LINUX_2.5") != NULL,
           lookup("__kernel_rt_sigreturn", "LINUX_2.5") != NULL);
    for (int info = 0; info < 2; info++) {
        struct kernel_sigaction ka = { info ? (void *)with_info : (void *)plain,
                                       info ? SA_SIGINFO : 0, NULL, {0, 0} };
        handled = 0;
        long rc = syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 8);
        syscall(SYS_kill, syscall(SYS_getpid), SIGUSR1);
        printf("%s handler without SA_RESTORER: rc %ld, returned with %d\n",
               info ? "siginfo" : "plain", rc, handled);
    }
}
#endif

int main(void)
{
    int rc = parse();
    if (rc) {
        printf("no usable vDSO: %d\n", rc);
        return 1;
    }
    int (*vclock)(clockid_t, struct timespec *) = lookup("__vdso_clock_gettime", "LINUX_2.6");
    int (*vtod)(struct timeval *, void *) = lookup("__vdso_gettimeofday", "LINUX_2.6");
    time_t (*vtime)(time_t *) = lookup("__vdso_time", "LINUX_2.6");
    int (*vgetcpu)(unsigned *, unsigned *, void *) = lookup("__vdso_getcpu", "LINUX_2.6");
    printf("found: clock_gettime %d gettimeofday %d time %d getcpu %d\n",
           vclock != NULL, vtod != NULL, vtime != NULL, vgetcpu != NULL);
    struct timespec a, b;
    syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a);
    int r = vclock(CLOCK_MONOTONIC, &b);
    printf("clock_gettime: %d, monotonic %d\n", r,
           b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec));
    struct timeval tv;
    r = vtod(&tv, NULL);
    time_t t = 0, t2 = vtime(&t);
    printf("gettimeofday: %d, time agrees %d %d\n", r, t == t2, t2 - tv.tv_sec <= 1);
    unsigned cpu = 9999;
    r = vgetcpu(&cpu, NULL, NULL);
    printf("getcpu: %d, cpu %d\n", r, cpu < 4096);
#ifdef __i386__
    i386_checks();
#endif
    return 0;
}
