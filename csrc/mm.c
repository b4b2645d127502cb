/* Per-process address spaces over one pool of physical pages.
 *
 * The engine runs in Unicorn's virtual-TLB mode: every guest access goes through a fill hook
 * that looks the virtual page up in the current process's page table (an open-addressing hash
 * keyed by virtual page number) and answers with a page of the physical pool. Physical memory
 * is host memory we mmap in chunks and hand to Unicorn with uc_mem_map_ptr, so the runtime
 * reads and writes guest memory with memcpy, never through the Unicorn API.
 *
 * Pages are allocated on first touch; fork shares pages copy-on-write. */
#define _GNU_SOURCE
#include "sysvec.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define NOPAGE 0xffffffffu /* mapped but not yet backed: reads as zeros */

/* --- the physical pool -------------------------------------------------------------------- */

/* Unicorn's API drops translations only by virtual address, through the TLB; dropping those
 * of a frame, whichever address they were made at, takes two functions of the engine's own
 * (exported by the 2.1 library sysvec pins). Without them every such drop flushes all code. */
static uint64_t (*ram_addr_from_host)(uc_engine *uc, void *host);

static void engine_internals(sv_phys *p)
{
    Dl_info info;
    void *lib = NULL;
    if (dladdr((void *)uc_open, &info) && info.dli_fname)
        lib = dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
    if (!lib)
        return;
    ram_addr_from_host = (uint64_t (*)(uc_engine *, void *))dlsym(lib,
                                                                   "qemu_ram_addr_from_host_x86_64");
    p->drop_code = (void (*)(uc_engine *, uint64_t, uint64_t))dlsym(lib,
                                                                     "tb_invalidate_phys_range_x86_64");
    if (!ram_addr_from_host)
        p->drop_code = NULL;
    dlclose(lib);     /* the engine keeps the library loaded */
}

sv_phys *sv_phys_new(uc_engine *uc, uint64_t base, uint32_t pages_per_chunk, uint64_t page_limit)
{
    sv_phys *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->uc = uc;
    p->base = base;
    p->pages_per_chunk = pages_per_chunk;
    p->page_limit = page_limit;
    engine_internals(p);
    return p;
}

/* The host side of the pool. Freed after uc_close (runtime/engine.py), which took the engine's
 * mappings of it: unmapping them from a live engine would invalidate translations through the
 * TLB-fill hook, into address spaces already gone. */
void sv_phys_free(sv_phys *p)
{
    if (!p)
        return;
    for (uint32_t i = 0; i < p->nchunks; i++) {
        uint64_t bytes = (uint64_t)p->pages_per_chunk << SV_PAGE_SHIFT;
        munmap(p->chunks[i], bytes);
    }
    free(p->chunks);
    free(p->free_list);
    free(p->quarantine);
    free(p->refs);
    free(p->code_frames);
    free(p->chunk_ram);
    free(p);
}

static uint8_t *page_host(sv_phys *p, uint32_t ppn)
{
    uint32_t chunk = ppn / p->pages_per_chunk;
    return p->chunks[chunk] + ((uint64_t)(ppn % p->pages_per_chunk) << SV_PAGE_SHIFT);
}

static int grow_u32(uint32_t **arr, uint32_t *cap, uint32_t need)
{
    if (need <= *cap)
        return 0;
    uint32_t ncap = *cap ? *cap * 2 : 1024;
    while (ncap < need)
        ncap *= 2;
    uint32_t *n = realloc(*arr, (size_t)ncap * sizeof **arr);
    if (!n)
        return -1;
    *arr = n;
    *cap = ncap;
    return 0;
}

static int add_chunk(sv_phys *p)
{
    uint64_t bytes = (uint64_t)p->pages_per_chunk << SV_PAGE_SHIFT;
    if (p->nchunks == p->chunk_cap) {
        uint32_t ncap = p->chunk_cap ? p->chunk_cap * 2 : 8;
        uint8_t **n = realloc(p->chunks, ncap * sizeof *n);
        if (!n)
            return -1;
        p->chunks = n;
        uint64_t *ram = realloc(p->chunk_ram, ncap * sizeof *ram);
        if (!ram)
            return -1;
        p->chunk_ram = ram;
        p->chunk_cap = ncap;
    }
    uint32_t total = (p->nchunks + 1) * p->pages_per_chunk;
    if (total > p->refs_cap) {
        uint16_t *r = realloc(p->refs, (size_t)total * sizeof *r);
        if (!r)
            return -1;
        memset(r + p->refs_cap, 0, (size_t)(total - p->refs_cap) * sizeof *r);
        p->refs = r;
        p->refs_cap = total;
    }
    void *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        return -1;
    if (uc_mem_map_ptr(p->uc, p->base + p->nchunks * bytes, bytes, UC_PROT_ALL, mem) != UC_ERR_OK) {
        munmap(mem, bytes);
        return -1;
    }
    p->chunk_ram[p->nchunks] = p->drop_code ? ram_addr_from_host(p->uc, mem) : UINT64_MAX;
    if (p->chunk_ram[p->nchunks] == UINT64_MAX)
        p->drop_code = NULL;
    p->chunks[p->nchunks++] = mem;
    return 0;
}

/* A zeroed page, or NOPAGE when the pool is exhausted. Pages freed since the last translation
 * cache flush are only reused when recycle is allowed: they may still have translated code. */
static uint32_t page_alloc(sv_phys *p, int recycle)
{
    if (p->page_limit && p->in_use >= p->page_limit)
        return NOPAGE;
    uint32_t ppn = NOPAGE;
    if (p->nfree) {
        ppn = p->free_list[--p->nfree];
    } else {
        if (p->next_fresh == p->nchunks * p->pages_per_chunk && p->nquar && recycle) {
            /* Recycle the quarantine rather than grow: the caller flushes translations. */
            if (grow_u32(&p->free_list, &p->free_cap, p->nquar) < 0)
                return NOPAGE;
            memcpy(p->free_list, p->quarantine, p->nquar * sizeof(uint32_t));
            p->nfree = p->nquar;
            p->nquar = 0;
            p->tb_flush_needed = 1;
            ppn = p->free_list[--p->nfree];
        } else {
            if (p->next_fresh == p->nchunks * p->pages_per_chunk && add_chunk(p) < 0)
                return NOPAGE;
            ppn = p->next_fresh++;
        }
    }
    p->refs[ppn] = 1;
    p->in_use++;
    return ppn;
}

static void page_unref(sv_phys *p, uint32_t ppn)
{
    if (ppn == NOPAGE || --p->refs[ppn])
        return;
    /* Give the memory back to the host; the page reads as zeros when it is reused. */
    madvise(page_host(p, ppn), SV_PAGE_SIZE, MADV_DONTNEED);
    if (grow_u32(&p->quarantine, &p->quar_cap, p->nquar + 1) == 0)
        p->quarantine[p->nquar++] = ppn;
    p->in_use--;
}

/* Called before emulation resumes, when no translated code is running: once enough freed
 * pages wait in quarantine, make them reusable and flush the translation cache, so the pool
 * reuses memory instead of growing. Also flushes when recycling already happened. */
#define QUARANTINE_RECYCLE 8192

int sv_phys_prepare_run(sv_phys *p)
{
    if (p->nquar >= QUARANTINE_RECYCLE) {
        if (grow_u32(&p->free_list, &p->free_cap, p->nfree + p->nquar) == 0) {
            memcpy(p->free_list + p->nfree, p->quarantine, p->nquar * sizeof(uint32_t));
            p->nfree += p->nquar;
            p->nquar = 0;
            p->tb_flush_needed = 1;
        }
    }
    if (!p->tb_flush_needed)
        return 0;
    p->tb_flush_needed = 0;
    if (p->code_cap)
        memset(p->code_frames, 0, p->code_cap * sizeof *p->code_frames);
    p->code_used = 0;
    return uc_ctl_flush_tb(p->uc) == UC_ERR_OK ? 1 : -1;
}

/* --- page tables ---------------------------------------------------------------------------- */

/* The engine's TLB may hold a translation of any backed page of the running space (the fill
 * hook backs a page before answering). Changing such a page's frame, or taking a permission
 * away, makes that translation stale: say so, and the trap path flushes the TLB before the
 * guest runs on (trap.c), as a kernel shoots down TLB entries. Unicorn 2.1 offers no per-page
 * flush. Adding permissions needs nothing: a denied access refills the entry. */
static void pte_changed(sv_aspace *as, const sv_pte *e)
{
    if (e->ppn != NOPAGE)
        as->phys->tlb_stale = 1;
}

static uint64_t hash_vpn(uint64_t vpn)
{
    vpn ^= vpn >> 33;
    vpn *= 0xff51afd7ed558ccdull;
    vpn ^= vpn >> 33;
    return vpn;
}

static sv_pte *pte_find(sv_aspace *as, uint64_t vpn)
{
    uint64_t key = vpn + 1, mask = as->capacity - 1;
    for (uint64_t i = hash_vpn(vpn) & mask;; i = (i + 1) & mask) {
        sv_pte *e = &as->slots[i];
        if (e->vpn == key)
            return e;
        if (e->vpn == 0)
            return NULL;
    }
}

#define TOMBSTONE UINT64_MAX

static int rehash(sv_aspace *as, uint64_t capacity)
{
    sv_pte *old = as->slots;
    uint64_t oldcap = as->capacity;
    sv_pte *slots = calloc(capacity, sizeof *slots);
    if (!slots)
        return -1;
    as->slots = slots;
    as->capacity = capacity;
    as->tombs = 0;
    uint64_t mask = capacity - 1;
    for (uint64_t j = 0; j < oldcap; j++) {
        if (old[j].vpn == 0 || old[j].vpn == TOMBSTONE)
            continue;
        uint64_t i = hash_vpn(old[j].vpn - 1) & mask;
        while (slots[i].vpn)
            i = (i + 1) & mask;
        slots[i] = old[j];
    }
    free(old);
    return 0;
}

/* Whether a page of this protection counts against the space's charge: a writable one,
 * unless MAP_NORESERVE made it. */
static int charged(uint32_t prot)
{
    return (prot & (SV_PROT_W | SV_PTE_NORESERVE)) == SV_PROT_W;
}

/* Insert a new entry; the caller has checked the page is not present. */
static sv_pte *pte_insert(sv_aspace *as, uint64_t vpn, uint32_t ppn, uint32_t prot)
{
    uint64_t entries = as->used - as->promised;   /* (promised pages take no slot) */
    if ((entries + as->tombs + 1) * 4 > as->capacity * 3) {
        uint64_t cap = as->capacity;
        while ((entries + 1) * 2 > cap)
            cap *= 2;
        if (rehash(as, cap) < 0)
            return NULL;
    }
    uint64_t mask = as->capacity - 1;
    uint64_t i = hash_vpn(vpn) & mask;
    while (as->slots[i].vpn && as->slots[i].vpn != TOMBSTONE)
        i = (i + 1) & mask;
    if (as->slots[i].vpn == TOMBSTONE)
        as->tombs--;
    as->slots[i] = (sv_pte){vpn + 1, ppn, prot};
    as->used++;
    as->committed += charged(prot);
    as->touched += (prot & SV_PTE_TOUCHED) != 0;
    return &as->slots[i];
}

static void pte_remove(sv_aspace *as, sv_pte *e)
{
    pte_changed(as, e);
    page_unref(as->phys, e->ppn);
    e->vpn = TOMBSTONE;
    as->used--;
    as->committed -= charged(e->prot);
    as->touched -= (e->prot & SV_PTE_TOUCHED) != 0;
    as->tombs++;
}

/* The page gives its memory back (it is mapped anew, or backed by another frame). */
static void untouch(sv_aspace *as, sv_pte *e)
{
    as->touched -= (e->prot & SV_PTE_TOUCHED) != 0;
    e->prot &= ~SV_PTE_TOUCHED;
}

/* --- lazy ranges: mapped pages without entries (sv_aspace.lazy) ------------------------------
 * A sorted array of disjoint ranges, found by bisection: a sanitizer's shadow touched here and
 * there leaves as many ranges as places it touched, and every operation on a range of pages
 * costs what it touches (its ranges and entries), never its length. */

#define LAZY_MIN_PAGES 32    /* a fresh mapping this large (128 KiB: exec's stack, malloc's mmap
                              * threshold) is promised, not entered */
#define LAZY_CHUNK 16        /* pages given entries at a time (a power of two) */

/* The index of the first range that ends after vpn (nlazy when none does). */
static uint32_t lazy_index(const sv_aspace *as, uint64_t vpn)
{
    uint32_t lo = 0, hi = as->nlazy;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (as->lazy[mid].first + as->lazy[mid].count <= vpn)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static sv_lazy *lazy_find(sv_aspace *as, uint64_t vpn)
{
    uint32_t i = lazy_index(as, vpn);
    return i < as->nlazy && as->lazy[i].first <= vpn ? &as->lazy[i] : NULL;
}

/* Room for more ranges; -1 when the host has no memory for it. */
static int lazy_reserve(sv_aspace *as, uint32_t more)
{
    if (as->nlazy + more <= as->lazy_cap)
        return 0;
    uint32_t cap = as->lazy_cap ? as->lazy_cap : 16;
    while (cap < as->nlazy + more)
        cap *= 2;
    sv_lazy *grown = realloc(as->lazy, (size_t)cap * sizeof *grown);
    if (!grown)
        return -1;
    as->lazy = grown;
    as->lazy_cap = cap;
    return 0;
}

/* Whether page vpn is mapped -- an entry (*entry), or a promised page (*entry NULL) -- and
 * its protection. */
static int page_mapped(sv_aspace *as, uint64_t vpn, sv_pte **entry, uint32_t *prot)
{
    sv_pte *e = pte_find(as, vpn);
    const sv_lazy *z = e || !as->nlazy ? NULL : lazy_find(as, vpn);
    *entry = e;
    *prot = e ? e->prot : z ? z->prot : 0;
    return e || z;
}

/* Whether the kernel may read a page of this protection (as copy_from_user: readable or
 * executable, and not past its file's end). */
static int kernel_readable(uint32_t prot)
{
    return (prot & (SV_PROT_R | SV_PROT_X)) && !(prot & SV_PTE_SIGBUS);
}

/* Entries for count fresh pages from first. */
static int insert_fresh(sv_aspace *as, uint64_t first, uint64_t count, uint32_t prot)
{
    for (uint64_t v = first; v < first + count; v++)
        if (!pte_insert(as, v, NOPAGE, prot))
            return -1;
    return 0;
}

/* Count a range in (sign 1) or out (-1) of the space's pages. */
static void lazy_count(sv_aspace *as, const sv_lazy *z, int sign)
{
    uint64_t n = sign > 0 ? z->count : -z->count;
    as->used += n;
    as->promised += n;
    as->committed += charged(z->prot) * n;
}

/* Promise [first, first + count), where nothing is mapped: counted as entries are. -1 when
 * the host has no memory for another range. */
static int lazy_add(sv_aspace *as, uint64_t first, uint64_t count, uint32_t prot)
{
    if (lazy_reserve(as, 1) < 0)
        return -1;
    uint32_t i = lazy_index(as, first);
    memmove(&as->lazy[i + 1], &as->lazy[i], (size_t)(as->nlazy - i) * sizeof *as->lazy);
    as->lazy[i] = (sv_lazy){first, count, prot};
    as->nlazy++;
    lazy_count(as, &as->lazy[i], 1);
    return 0;
}

/* Make vpn the first page of a range, or of none: a range across it becomes two. */
static int lazy_split(sv_aspace *as, uint64_t vpn)
{
    sv_lazy *z = as->nlazy ? lazy_find(as, vpn) : NULL;
    if (!z || z->first == vpn)
        return 0;
    uint32_t i = (uint32_t)(z - as->lazy);
    if (lazy_reserve(as, 1) < 0)
        return -1;
    z = &as->lazy[i];
    memmove(&as->lazy[i + 2], &as->lazy[i + 1], (size_t)(as->nlazy - i - 1) * sizeof *z);
    as->lazy[i + 1] = (sv_lazy){vpn, z->first + z->count - vpn, z->prot};
    z->count = vpn - z->first;
    as->nlazy++;
    return 0;
}

/* The indices [*i, *j) of the ranges that overlap [first, end). */
static void lazy_span(const sv_aspace *as, uint64_t first, uint64_t end, uint32_t *i, uint32_t *j)
{
    *i = *j = lazy_index(as, first);
    while (*j < as->nlazy && as->lazy[*j].first < end)
        ++*j;
}

/* Join neighbouring ranges of one protection among [i, j) and their neighbours, so that
 * changing pieces of a range and back leaves one range. */
static void lazy_merge(sv_aspace *as, uint32_t i, uint32_t j)
{
    uint32_t lo = i ? i - 1 : 0, hi = j < as->nlazy ? j + 1 : as->nlazy, out = lo;
    for (uint32_t k = lo; k < hi; k++) {
        sv_lazy *last = out > lo ? &as->lazy[out - 1] : NULL;
        if (last && last->first + last->count == as->lazy[k].first &&
            last->prot == as->lazy[k].prot)
            last->count += as->lazy[k].count;
        else
            as->lazy[out++] = as->lazy[k];
    }
    if (out < hi) {
        memmove(&as->lazy[out], &as->lazy[hi], (size_t)(as->nlazy - hi) * sizeof *as->lazy);
        as->nlazy -= hi - out;
    }
}

/* Take the promised pages of [first, first + count) out of their ranges: with give, they get
 * entries (every operation but a lookup works on entries: callers give a bounded count);
 * without, they are gone (unmapped, or mapped anew). The pieces of a range outside stay
 * promised. -1 when the host has no memory for the table or a range. */
static int lazy_take(sv_aspace *as, uint64_t first, uint64_t count, int give)
{
    uint64_t end = first + count;
    if (!as->nlazy)
        return 0;
    if (lazy_split(as, first) < 0 || lazy_split(as, end) < 0)
        return -1;
    uint32_t i, j;
    lazy_span(as, first, end, &i, &j);
    if (i == j)
        return 0;
    /* Entries first: until the ranges go, those pages count twice (used - promised stays
     * the number of entries, which the table sizes itself by), and a failure leaves every
     * page mapped. */
    for (uint32_t k = i; give && k < j; k++)
        if (insert_fresh(as, as->lazy[k].first, as->lazy[k].count, as->lazy[k].prot) < 0)
            return -1;
    for (uint32_t k = i; k < j; k++)
        lazy_count(as, &as->lazy[k], -1);
    memmove(&as->lazy[i], &as->lazy[j], (size_t)(as->nlazy - j) * sizeof *as->lazy);
    as->nlazy -= j - i;
    return 0;
}

/* The entry of a page, giving a promised page and its aligned chunk of neighbours their
 * entries first (the whole rest of its range when less than a chunk would stay on one side,
 * so a heap used upwards or a stack downwards splits nothing). */
static sv_pte *pte_get(sv_aspace *as, uint64_t vpn)
{
    sv_pte *e = pte_find(as, vpn);
    if (e || !as->nlazy)
        return e;
    sv_lazy *z = lazy_find(as, vpn);
    if (!z)
        return NULL;
    uint64_t zend = z->first + z->count;
    uint64_t first = vpn & ~(uint64_t)(LAZY_CHUNK - 1), end = first + LAZY_CHUNK;
    if (first < z->first + LAZY_CHUNK)
        first = z->first;
    if (end + LAZY_CHUNK > zend)
        end = zend;
    if (lazy_take(as, first, end - first, 1) < 0)
        return NULL;
    return pte_find(as, vpn);
}

/* The promised pages of [first, first + count), and how many of them are charged. */
static uint64_t lazy_overlap(const sv_aspace *as, uint64_t first, uint64_t count,
                             uint64_t *charged_pages)
{
    uint64_t n = 0, end = first + count;
    uint32_t i, j;
    *charged_pages = 0;
    lazy_span(as, first, end, &i, &j);
    for (uint32_t k = i; k < j; k++) {
        const sv_lazy *z = &as->lazy[k];
        uint64_t zend = z->first + z->count;
        uint64_t lo = first > z->first ? first : z->first, hi = end < zend ? end : zend;
        n += hi - lo;
        *charged_pages += charged(z->prot) * (hi - lo);
    }
    return n;
}

/* The pages of [first, first + count) that have entries, in an array the caller frees (*n
 * of them): found page by page, or by visiting the table when the range is wider than it (a
 * reservation or a shadow may be terabytes). NULL when the host has no memory for it. */
static uint64_t *range_entries(sv_aspace *as, uint64_t first, uint64_t count, uint64_t *n)
{
    uint64_t entries = as->used - as->promised, room = count < entries ? count : entries;
    uint64_t *found = malloc((room ? room : 1) * sizeof *found);
    *n = 0;
    if (!found)
        return NULL;
    if (count > as->capacity) {
        for (uint64_t i = 0; i < as->capacity && *n < room; i++) {
            const sv_pte *e = &as->slots[i];
            if (e->vpn && e->vpn != TOMBSTONE && e->vpn - 1 >= first && e->vpn - 1 - first < count)
                found[(*n)++] = e->vpn - 1;
        }
    } else {
        for (uint64_t v = first; v < first + count && *n < room; v++)
            if (pte_find(as, v))
                found[(*n)++] = v;
    }
    return found;
}

/* Whether no page of [first, first + count) has an entry. */
static int range_empty(sv_aspace *as, uint64_t first, uint64_t count)
{
    if (count > as->capacity) {
        for (uint64_t i = 0; i < as->capacity; i++) {
            const sv_pte *e = &as->slots[i];
            if (e->vpn && e->vpn != TOMBSTONE && e->vpn - 1 >= first && e->vpn - 1 - first < count)
                return 0;
        }
        return 1;
    }
    for (uint64_t v = first; v < first + count; v++)
        if (pte_find(as, v))
            return 0;
    return 1;
}

sv_aspace *sv_as_new(sv_phys *phys, uint64_t page_limit)
{
    sv_aspace *as = calloc(1, sizeof *as);
    if (!as)
        return NULL;
    as->phys = phys;
    as->capacity = 256;
    as->page_limit = page_limit;
    as->slots = calloc(as->capacity, sizeof *as->slots);
    if (!as->slots) {
        free(as);
        return NULL;
    }
    return as;
}

void sv_as_free(sv_aspace *as)
{
    if (!as)
        return;
    as->phys->tlb_stale = 1;   /* it may be the running space (exec, exit) */
    for (uint64_t i = 0; i < as->capacity; i++)
        if (as->slots[i].vpn && as->slots[i].vpn != TOMBSTONE)
            page_unref(as->phys, as->slots[i].ppn);
    free(as->slots);
    free(as->lazy);
    free(as);
}

/* A copy of the space sharing every page: both sides copy on their next write. */
sv_aspace *sv_as_fork(sv_aspace *src)
{
    sv_aspace *as = calloc(1, sizeof *as);
    if (!as)
        return NULL;
    *as = *src;
    as->slots = malloc(src->capacity * sizeof *as->slots);
    as->lazy = src->nlazy ? malloc((size_t)src->nlazy * sizeof *as->lazy) : NULL;
    as->lazy_cap = src->nlazy;
    if (!as->slots || (src->nlazy && !as->lazy)) {
        free(as->slots);
        free(as->lazy);
        free(as);
        return NULL;
    }
    if (src->nlazy)
        memcpy(as->lazy, src->lazy, (size_t)src->nlazy * sizeof *as->lazy);
    for (uint64_t i = 0; i < src->capacity; i++) {
        sv_pte *e = &src->slots[i];
        if (e->vpn && e->vpn != TOMBSTONE && e->ppn != NOPAGE) {
            src->phys->refs[e->ppn]++;
            if (!(e->prot & SV_PTE_SHARED)) {
                if ((e->prot & (SV_PROT_W | SV_PTE_COW)) == SV_PROT_W)
                    pte_changed(src, e);   /* a writable translation must not outlive the fork */
                e->prot |= SV_PTE_COW;
            }
        }
    }
    memcpy(as->slots, src->slots, src->capacity * sizeof *as->slots);
    return as;
}

static int range_pages(uint64_t addr, uint64_t len, uint64_t *first, uint64_t *count)
{
    if (len == 0 || addr + len < addr)
        return -1;
    *first = addr >> SV_PAGE_SHIFT;
    *count = ((addr + len - 1) >> SV_PAGE_SHIFT) - *first + 1;
    return 0;
}

/* Read-only and inaccessible pages are not charged, but a mapping too small to be promised
 * gives each an entry at once: the pages a space may map so are this many times its charge
 * limit. */
#define MAPPED_PER_CHARGED 8

static uint64_t map_limit(const sv_aspace *as)
{
    return as->page_limit * MAPPED_PER_CHARGED;
}

/* vm.overcommit_memory as it applies to the space: 0 heuristic, 1 always, 2 strict. */
static uint32_t overcommit_of(const sv_aspace *as)
{
    return as->strict_commit ? 2 : as->phys->overcommit;
}

/* Whether the space may have more_writable more writable pages: under strict accounting,
 * its charge stays within its limit; under the heuristic (Linux's default), one request may
 * not be larger than the limit -- the memory a process may have -- and what it touches is
 * bounded instead (touch_ok); with overcommit always, anything goes. */
static int charge_ok(const sv_aspace *as, uint64_t more_writable)
{
    if (as->rlimit_pages && as->committed + more_writable > as->rlimit_pages)
        return 0;   /* RLIMIT_AS (ulimit -v): a bound in every mode */
    uint32_t mode = overcommit_of(as);
    if (!as->page_limit || mode == 1)
        return 1;
    if (mode == 2)
        return as->committed + more_writable <= as->page_limit;
    return more_writable <= as->page_limit;
}

/* Whether the space may give memory to one more page: unless accounting is strict (which
 * bounds it when mapping), a space holds at most its limit; past it, the touch is out of
 * memory, as Linux's OOM killer ends a process over its memory cgroup's limit. */
static int touch_ok(const sv_aspace *as)
{
    return overcommit_of(as) == 2 || !as->page_limit || as->touched < as->page_limit;
}

/* Map [addr, addr+len) as fresh zero pages, replacing what was there (MAP_FIXED); prot may
 * carry SV_PTE_NORESERVE. A large range is promised (may_defer): what was there goes, and the
 * work is the entries and ranges it held, however long the range (a sanitizer's shadow is
 * terabytes of MAP_NORESERVE, paid for only where it is touched). A smaller one gets its
 * entries now, within map_limit. */
static int map_range(sv_aspace *as, uint64_t addr, uint64_t len, uint32_t prot, int may_defer)
{
    uint64_t first, count, added, writable_before = 0, n;
    int writable = charged(prot);
    prot &= 7 | SV_PTE_NORESERVE;
    if (range_pages(addr, len, &first, &count) < 0)
        return -1;
    int defer = may_defer && count >= LAZY_MIN_PAGES;
    /* Entries made now cost host memory: a range past the limit fails before any
     * page-by-page walk (a guest asking for 64 TiB must not keep the host busy for hours). */
    if (!defer && as->page_limit && count > map_limit(as))
        return -2;
    uint64_t *there = range_entries(as, first, count, &n);
    if (!there)
        return -2;
    for (uint64_t k = 0; k < n; k++)
        writable_before += charged(pte_find(as, there[k])->prot);
    uint64_t promised_charged, promised = lazy_overlap(as, first, count, &promised_charged);
    writable_before += promised_charged;
    added = count - n - promised;
    if ((!defer && as->page_limit && as->used - as->promised + added > map_limit(as)) ||
        (writable && !charge_ok(as, count - writable_before)) ||
        ((defer || promised) && lazy_reserve(as, 3) < 0)) {   /* (then two splits and the
                                                             * new range cannot fail) */
        free(there);
        return -2;
    }
    if (promised && lazy_take(as, first, count, 0) < 0) {
        free(there);
        return -2;
    }
    if (defer) {
        for (uint64_t k = 0; k < n; k++)
            pte_remove(as, pte_find(as, there[k]));
        free(there);
        return lazy_add(as, first, count, prot) == 0 ? 0 : -2;
    }
    free(there);
    for (uint64_t v = first; v < first + count; v++) {
        sv_pte *e = pte_find(as, v);
        if (e) {
            pte_changed(as, e);
            page_unref(as->phys, e->ppn);
            as->committed += writable - charged(e->prot);
            untouch(as, e);
            e->ppn = NOPAGE;
            e->prot = prot;
        } else if (!pte_insert(as, v, NOPAGE, prot)) {
            return -2;
        }
    }
    return 0;
}

/* An access to the unmapped page vpn: when it lies in the stack's grows-down window, the
 * stack grows down to it (the pages from vpn up to the stack are mapped, charged as any
 * growth of a writable mapping) and 1, the access goes on; else 0, a fault. */
static int stack_grow(sv_aspace *as, uint64_t vpn)
{
    uint64_t promised_charged;
    if (vpn >= as->grow_start || vpn < as->grow_floor)
        return 0;
    /* The window holds nothing (runtime/mm.py ends it at the mapping below): never map
     * over something should that ever not hold. */
    if (lazy_overlap(as, vpn, as->grow_start - vpn, &promised_charged) ||
        !range_empty(as, vpn, as->grow_start - vpn))
        return 0;
    if (map_range(as, vpn << SV_PAGE_SHIFT, (as->grow_start - vpn) << SV_PAGE_SHIFT,
                  as->grow_prot, 1) != 0)
        return 0;
    as->grow_start = vpn;
    return 1;
}

/* page_mapped for an access, the guest's or the kernel's (copy_to_user into a stack buffer
 * the program has not touched yet grows the stack on Linux too). */
static int page_accessed(sv_aspace *as, uint64_t vpn, sv_pte **entry, uint32_t *prot)
{
    return page_mapped(as, vpn, entry, prot) ||
           (stack_grow(as, vpn) && page_mapped(as, vpn, entry, prot));
}

int sv_as_map(sv_aspace *as, uint64_t addr, uint64_t len, uint32_t prot)
{
    return map_range(as, addr, len, prot, 1);
}

int sv_as_unmap(sv_aspace *as, uint64_t addr, uint64_t len)
{
    uint64_t first, count;
    if (range_pages(addr, len, &first, &count) < 0)
        return -1;
    if (as->nlazy && lazy_take(as, first, count, 0) < 0)
        return -2;
    if (count > as->capacity) {
        /* A range wider than the table: visit the mapped pages, not every address. */
        for (uint64_t i = 0; i < as->capacity; i++) {
            sv_pte *e = &as->slots[i];
            if (e->vpn && e->vpn != TOMBSTONE && e->vpn - 1 >= first && e->vpn - 1 - first < count)
                pte_remove(as, e);
        }
        return 0;
    }
    for (uint64_t v = first; v < first + count; v++) {
        sv_pte *e = pte_find(as, v);
        if (e)
            pte_remove(as, e);
    }
    return 0;
}

/* Change protection of every mapped page in the range; -1 if any page is unmapped, -2 if
 * the pages it makes writable are more than the space may be charged (a MAP_NORESERVE
 * page stays uncharged). Promised ranges change as ranges. */
int sv_as_protect(sv_aspace *as, uint64_t addr, uint64_t len, uint32_t prot)
{
    uint64_t first, count, gained = 0, promised = 0, n;
    const uint32_t kept = SV_PTE_COW | SV_PTE_SHARED | SV_PTE_SIGBUS | SV_PTE_NORESERVE |
                          SV_PTE_TOUCHED;
    if (range_pages(addr, len, &first, &count) < 0 || count > as->used)
        return -1;   /* more pages than are mapped: some page of the range is not */
    uint64_t end = first + count;
    if (lazy_split(as, first) < 0 || lazy_split(as, end) < 0)
        return -2;
    uint32_t i, j;
    lazy_span(as, first, end, &i, &j);
    for (uint32_t k = i; k < j; k++) {
        const sv_lazy *z = &as->lazy[k];
        promised += z->count;
        gained += charged((z->prot & kept) | (prot & 7)) && !charged(z->prot) ? z->count : 0;
    }
    uint64_t *there = range_entries(as, first, count, &n);
    if (!there)
        return -2;
    if (n + promised != count) {
        free(there);
        return -1;
    }
    for (uint64_t k = 0; k < n; k++) {
        const sv_pte *e = pte_find(as, there[k]);
        gained += charged((e->prot & kept) | (prot & 7)) && !charged(e->prot);
    }
    if (gained && !charge_ok(as, gained)) {
        free(there);
        return -2;
    }
    for (uint32_t k = i; k < j; k++) {
        sv_lazy *z = &as->lazy[k];
        uint32_t now = (z->prot & kept) | (prot & 7);
        as->committed += (charged(now) - charged(z->prot)) * z->count;
        z->prot = now;
    }
    for (uint64_t k = 0; k < n; k++) {
        sv_pte *e = pte_find(as, there[k]);
        uint32_t now = (e->prot & kept) | (prot & 7);
        if ((e->prot & 7 & ~prot) != 0)
            pte_changed(as, e);
        as->committed += charged(now) - charged(e->prot);
        e->prot = now;
    }
    free(there);
    if (j > i)
        lazy_merge(as, i, j);
    return 0;
}

/* A page's protection before the kernel accesses it (a futex word, a read's buffer). */
int sv_as_query(sv_aspace *as, uint64_t addr, uint32_t *prot)
{
    sv_pte *e;
    if (!page_accessed(as, addr >> SV_PAGE_SHIFT, &e, prot))
        return -1;
    *prot &= 7;
    return 0;
}

/* The physical page under addr when it is a MAP_SHARED page, else NOPAGE: a futex on it is
 * the same futex in every address space that maps it. */
uint32_t sv_as_shared_page(sv_aspace *as, uint64_t addr)
{
    sv_pte *e = pte_find(as, addr >> SV_PAGE_SHIFT);
    return e && (e->prot & SV_PTE_SHARED) ? e->ppn : NOPAGE;
}

/* mincore: 1 for each of npages pages from addr that has memory (a page never touched has
 * none yet), 0 for the others; -1 if one is not mapped at all. */
int sv_as_resident(sv_aspace *as, uint64_t addr, uint64_t npages, uint8_t *out)
{
    uint64_t vpn = addr >> SV_PAGE_SHIFT;
    for (uint64_t i = 0; i < npages; i++) {
        sv_pte *e;
        uint32_t prot;
        if (!page_mapped(as, vpn + i, &e, &prot))
            return -1;
        out[i] = e && e->ppn != NOPAGE;   /* a promised page has no memory yet */
    }
    return 0;
}

/* Mark the mapped pages of [addr, addr+len) as lying past the end of the file they map (on),
 * or not (off): a guest access faults (the kernel makes it SIGBUS) and a kernel access is
 * EFAULT, as for a page beyond EOF; the protection stays for when the file grows. */
int sv_as_set_sigbus(sv_aspace *as, uint64_t addr, uint64_t len, int on)
{
    uint64_t first, count;
    if (range_pages(addr, len, &first, &count) < 0)
        return -1;
    if (as->nlazy && lazy_take(as, first, count, 1) < 0)
        return -2;
    for (uint64_t v = first; v < first + count; v++) {
        sv_pte *e = pte_find(as, v);
        if (!e)
            continue;
        if (on && !(e->prot & SV_PTE_SIGBUS))
            pte_changed(as, e);   /* a cached translation must not outlive the truncation */
        e->prot = on ? e->prot | SV_PTE_SIGBUS : e->prot & ~SV_PTE_SIGBUS;
    }
    return 0;
}

/* Whether the page under addr lies past the end of its file (sv_as_set_sigbus). */
int sv_as_sigbus(sv_aspace *as, uint64_t addr)
{
    sv_pte *e = pte_find(as, addr >> SV_PAGE_SHIFT);
    return e && (e->prot & SV_PTE_SIGBUS) ? 1 : 0;
}

uint64_t sv_as_pages(sv_aspace *as)
{
    return as->used;
}

/* How many of the npages pages from addr have memory behind them (smaps' Rss of a mapping,
 * which may be terabytes of shadow): a walk of the table when the range is wider than it. */
uint64_t sv_as_resident_in(sv_aspace *as, uint64_t addr, uint64_t npages)
{
    uint64_t first = addr >> SV_PAGE_SHIFT, n = 0;
    if (npages > as->capacity) {
        for (uint64_t i = 0; i < as->capacity; i++) {
            const sv_pte *e = &as->slots[i];
            n += e->vpn && e->vpn != TOMBSTONE && e->vpn - 1 >= first &&
                 e->vpn - 1 - first < npages && e->ppn != NOPAGE;
        }
        return n;
    }
    for (uint64_t v = first; v < first + npages; v++) {
        const sv_pte *e = pte_find(as, v);
        n += e && e->ppn != NOPAGE;
    }
    return n;
}

/* The pages that have memory behind them (a mapped page never touched has none): RSS. */
uint64_t sv_as_resident_count(sv_aspace *as)
{
    uint64_t n = 0;
    for (uint64_t i = 0; i < as->capacity; i++)
        n += as->slots[i].vpn && as->slots[i].vpn != TOMBSTONE && as->slots[i].ppn != NOPAGE;
    return n;
}

/* Back a page: allocate it on its first touch, and for a write, copy it if it is shared
 * copy-on-write. A page written for the first time (not a shared one) is memory the space
 * holds: it counts in touched, within touch_ok's bound. */
static int page_make_writable(sv_aspace *as, sv_pte *e, int recycle, int writing)
{
    sv_phys *p = as->phys;
    int counts = writing && !(e->prot & (SV_PTE_TOUCHED | SV_PTE_SHARED));
    if (counts && !touch_ok(as))
        return -1;
    if (e->ppn == NOPAGE) {
        uint32_t ppn = page_alloc(p, recycle);
        if (ppn == NOPAGE)
            return -1;
        e->ppn = ppn;
    } else if (writing && (e->prot & SV_PTE_COW) && p->refs[e->ppn] > 1) {
        uint32_t ppn = page_alloc(p, recycle);
        if (ppn == NOPAGE)
            return -1;
        memcpy(page_host(p, ppn), page_host(p, e->ppn), SV_PAGE_SIZE);
        p->refs[e->ppn]--;
        e->ppn = ppn;
    }
    if (writing)
        e->prot &= ~SV_PTE_COW;
    if (counts) {
        e->prot |= SV_PTE_TOUCHED;
        as->touched++;
    }
    return 0;
}

/* The TLB fill for one guest access: 1 with the entry filled, 0 for a page fault, -1 when
 * the page is valid but no physical memory is left (the kernel's out-of-memory kill). */
/* --- code written through one mapping and run through another -----------------------------
 * Unicorn drops translated code on a store only through the virtual page the code was
 * translated at while that page is executable (translate-all.c re-arms its entry), or on the
 * first store through an entry filled since, and then only the bytes stored. Code rewritten
 * through a writable view that is not executable escapes: a JIT's second mapping of a memfd
 * (Erlang, .NET), or the same page made writable by mprotect to be patched (LuaJIT, W^X
 * toggling). So sysvec remembers the frames run as code, and a fill that makes such a frame
 * writable without making it executable drops the frame's code first. The TLB never holds a
 * shared frame writable at one address and executable at another (filling one while the other
 * may be there flushes it), so running the code again comes back through a fill. */
static sv_code_frame *code_frame(sv_phys *p, uint32_t ppn, int add)
{
    if (add && (p->code_used + 1) * 4 > p->code_cap * 3) {
        uint32_t cap = p->code_cap ? p->code_cap * 2 : 256;
        sv_code_frame *old = p->code_frames, *grown = calloc(cap, sizeof *grown);
        if (!grown)
            return NULL;
        for (uint32_t i = 0; i < p->code_cap; i++) {
            if (!old[i].ppn_plus1)
                continue;
            uint32_t j = old[i].ppn_plus1 * 2654435761u & (cap - 1);
            while (grown[j].ppn_plus1)
                j = (j + 1) & (cap - 1);
            grown[j] = old[i];
        }
        free(old);
        p->code_frames = grown;
        p->code_cap = cap;
    }
    if (!p->code_cap)
        return NULL;
    uint32_t j = (ppn + 1) * 2654435761u & (p->code_cap - 1);
    while (p->code_frames[j].ppn_plus1 && p->code_frames[j].ppn_plus1 != ppn + 1)
        j = (j + 1) & (p->code_cap - 1);
    if (!p->code_frames[j].ppn_plus1) {
        if (!add)
            return NULL;
        p->code_frames[j].ppn_plus1 = ppn + 1;
        p->code_used++;
    }
    return &p->code_frames[j];
}

static int listed_writable_elsewhere(const sv_phys *p, uint64_t vaddr, uint32_t ppn)
{
    if (p->nwritable > SV_ALIAS_SLOTS)
        return 1;
    for (uint32_t i = 0; i < p->nwritable; i++)
        if (p->writable[i].ppn == ppn && p->writable[i].vaddr != vaddr)
            return 1;
    return 0;
}

static void drop_frame_code(sv_phys *p, uint32_t ppn)
{
    if (!p->drop_code) {
        p->tb_flush_needed = 1;  /* before the guest runs on: the trap path and the run loop */
        return;
    }
    uint64_t ram = p->chunk_ram[ppn / p->pages_per_chunk] +
                   ((uint64_t)(ppn % p->pages_per_chunk) << SV_PAGE_SHIFT);
    p->drop_code(p->uc, ram, ram + SV_PAGE_SIZE);
}

static void separate_views(sv_phys *p, uint64_t vaddr, uint32_t ppn, uint32_t prot,
                           uint32_t perms)
{
    if ((perms & (SV_PROT_W | SV_PROT_X)) == SV_PROT_W) {
        sv_code_frame *code = code_frame(p, ppn, 0);
        if (code && code->live) {
            drop_frame_code(p, ppn);
            code->live = 0;
            if (prot & SV_PTE_SHARED)
                sv_phys_flush_tlb(p);   /* another address may hold it executable */
        }
    }
    if (prot & SV_PTE_SHARED) {
        if ((perms & SV_PROT_X) && listed_writable_elsewhere(p, vaddr, ppn))
            sv_phys_flush_tlb(p);
        if (perms & SV_PROT_W) {
            if (p->nwritable < SV_ALIAS_SLOTS) {
                p->writable[p->nwritable].vaddr = vaddr;
                p->writable[p->nwritable].ppn = ppn;
            }
            if (p->nwritable <= SV_ALIAS_SLOTS)
                p->nwritable++;
        }
    }
    if (perms & SV_PROT_X) {
        sv_code_frame *code = code_frame(p, ppn, 1);
        if (code)
            code->live = 1;
        else
            p->tb_flush_needed = 1;    /* out of memory: forget nothing instead */
    }
}

/* Flush the engine's TLB (and with it the lookup of translations by address); safe inside
 * the fill hook, where the engine reads the entry it asked for after the hook returns. */
void sv_phys_flush_tlb(sv_phys *p)
{
    uc_ctl_flush_tlb(p->uc);
    p->nwritable = 0;
}

int sv_as_fill(sv_aspace *as, uint64_t vaddr, uint32_t access, uc_tlb_entry *out)
{
    if (!as)
        return 0;
    sv_pte *e = pte_get(as, vaddr >> SV_PAGE_SHIFT);
    if (!e && stack_grow(as, vaddr >> SV_PAGE_SHIFT))
        e = pte_get(as, vaddr >> SV_PAGE_SHIFT);
    if (!e)
        return 0;
    uint32_t need = access == UC_MEM_WRITE ? SV_PROT_W : access == UC_MEM_FETCH ? SV_PROT_X : SV_PROT_R;
    if (!(e->prot & need) || (e->prot & SV_PTE_SIGBUS))
        return 0;
    if (access == UC_MEM_WRITE || e->ppn == NOPAGE) {
        uint32_t before = e->ppn;
        /* Translations may be live during emulation: never recycle quarantined pages here. */
        if (page_make_writable(as, e, 0, access == UC_MEM_WRITE) < 0)
            return -1;
        /* Copy-on-write of code this space may have run: the engine finds translations by
         * address first, and would run the shared frame's code after the copy changed. */
        if (before != NOPAGE && e->ppn != before && (e->prot & SV_PROT_X))
            sv_phys_flush_tlb(as->phys);
    }
    uint32_t perms = e->prot & 7;
    if (e->prot & SV_PTE_COW || !(e->prot & (SV_PTE_TOUCHED | SV_PTE_SHARED)))
        perms &= ~SV_PROT_W;   /* the first write comes back here: a copy, or the count */
    if (perms & (SV_PROT_W | SV_PROT_X))
        separate_views(as->phys, vaddr & ~(uint64_t)(SV_PAGE_SIZE - 1), e->ppn, e->prot, perms);
    out->paddr = as->phys->base + ((uint64_t)e->ppn << SV_PAGE_SHIFT);
    out->perms = perms;
    return 1;
}

/* --- kernel access to guest memory ---------------------------------------------------------- */

/* Copy guest memory out; -1 if any byte is unmapped or unreadable (EFAULT). */
int sv_as_read(sv_aspace *as, uint64_t addr, void *buf, uint64_t len)
{
    uint8_t *dst = buf;
    if (len == 0)
        return 0;
    if (addr + len < addr)
        return -1;
    while (len) {
        sv_pte *e;
        uint32_t prot;
        if (!page_accessed(as, addr >> SV_PAGE_SHIFT, &e, &prot) || !kernel_readable(prot))
            return -1;
        uint64_t off = addr & (SV_PAGE_SIZE - 1), n = SV_PAGE_SIZE - off;
        if (n > len)
            n = len;
        if (!e || e->ppn == NOPAGE)   /* a promised or untouched page reads as zeros */
            memset(dst, 0, n);
        else
            memcpy(dst, page_host(as->phys, e->ppn) + off, n);
        dst += n;
        addr += n;
        len -= n;
    }
    return 0;
}

static int write_pages(sv_aspace *as, uint64_t addr, const void *buf, uint64_t len, int force)
{
    const uint8_t *src = buf;
    uint64_t first, count;
    if (len == 0)
        return 0;
    if (range_pages(addr, len, &first, &count) < 0)
        return -1;
    /* Check the whole range first so a failed write changes nothing. */
    for (uint64_t v = first; v < first + count; v++) {
        sv_pte *e;
        uint32_t prot;
        if (!page_accessed(as, v, &e, &prot) || (prot & SV_PTE_SIGBUS) ||
            (!force && !(prot & SV_PROT_W)))
            return -1;
    }
    while (len) {
        sv_pte *e = pte_get(as, addr >> SV_PAGE_SHIFT);
        if (!e)
            return -2;   /* the table could not grow */
        uint32_t before = e->ppn;
        if (page_make_writable(as, e, 1, 1) < 0)
            return -2;
        if (before != NOPAGE && e->ppn != before)
            as->phys->tlb_stale = 1;   /* copy-on-write broken under a cached translation */
        sv_code_frame *code = code_frame(as->phys, e->ppn, 0);
        if (code && code->live) {
            /* written in place under translated code (a debugger's int3 through ptrace or
             * /proc/PID/mem, forced into a read-only text page): drop that code */
            drop_frame_code(as->phys, e->ppn);     /* (still live: its TLB entry may stay) */
        } else if (!force && (e->prot & SV_PROT_X)) {
            as->phys->tb_flush_needed = 1; /* the guest may have run this code already */
        }
        uint64_t off = addr & (SV_PAGE_SIZE - 1), n = SV_PAGE_SIZE - off;
        if (n > len)
            n = len;
        memcpy(page_host(as->phys, e->ppn) + off, src, n);
        src += n;
        addr += n;
        len -= n;
    }
    return 0;
}

/* Copy into guest memory the way the kernel's copy_to_user does: writable pages only. */
int sv_as_write(sv_aspace *as, uint64_t addr, const void *buf, uint64_t len)
{
    return write_pages(as, addr, buf, len, 0);
}

/* Copy into guest memory regardless of protection: the loader filling read-only segments. */
int sv_as_write_force(sv_aspace *as, uint64_t addr, const void *buf, uint64_t len)
{
    return write_pages(as, addr, buf, len, 1);
}

/* Length of the NUL-terminated string at addr: -1 on a fault, -2 if longer than max. */
int64_t sv_as_strlen(sv_aspace *as, uint64_t addr, uint64_t max)
{
    uint64_t n = 0;
    while (n < max) {
        sv_pte *e;
        uint32_t prot;
        if (addr + n < addr || !page_accessed(as, (addr + n) >> SV_PAGE_SHIFT, &e, &prot) ||
            !kernel_readable(prot))
            return -1;
        if (!e)
            return (int64_t)n;   /* a promised page: zeros */
        uint64_t off = (addr + n) & (SV_PAGE_SIZE - 1), chunk = SV_PAGE_SIZE - off;
        if (e->ppn == NOPAGE)
            return (int64_t)n;
        const uint8_t *p = page_host(as->phys, e->ppn) + off;
        const uint8_t *z = memchr(p, 0, chunk);
        if (z) {
            n += (uint64_t)(z - p);
            return n < max ? (int64_t)n : -2;
        }
        n += chunk;
    }
    return -2;
}

/* --- shared mappings (MAP_SHARED) ----------------------------------------------------------- */

/* Map [addr, addr+len) shared: page i is ppns[i] (one more reference) or, where ppns[i] is
 * NOPAGE, a fresh zero page whose number is written back to ppns[i]. Shared pages are backed
 * at once, so a fork shares the page itself rather than a promise of one. */
int sv_as_map_shared(sv_aspace *as, uint64_t addr, uint64_t len, uint32_t prot, uint32_t *ppns)
{
    uint64_t first, count;
    if (range_pages(addr, len, &first, &count) < 0)
        return -1;
    if (map_range(as, addr, len, prot, 0) != 0)   /* every page gets its frame now */
        return -2;
    for (uint64_t i = 0; i < count; i++) {
        sv_pte *e = pte_find(as, first + i);
        if (ppns[i] == NOPAGE) {
            ppns[i] = page_alloc(as->phys, 1);
            if (ppns[i] == NOPAGE) {
                sv_as_unmap(as, addr, len);
                return -2;
            }
        } else {
            as->phys->refs[ppns[i]]++;
        }
        e->ppn = ppns[i];
        e->prot = (prot & 7) | SV_PTE_SHARED;
    }
    return 0;
}

/* npages fresh frames holding buf (npages pages of bytes), each with one reference: the
 * caller's, a cache of program file pages (exec shares them). -1, none kept, when the pool
 * is out of memory. */
int sv_phys_fill(sv_phys *p, const void *buf, uint32_t npages, uint32_t *ppns)
{
    for (uint32_t i = 0; i < npages; i++) {
        ppns[i] = page_alloc(p, 1);
        if (ppns[i] == NOPAGE) {
            while (i--)
                page_unref(p, ppns[i]);
            return -1;
        }
        memcpy(page_host(p, ppns[i]), (const uint8_t *)buf + ((uint64_t)i << SV_PAGE_SHIFT),
               SV_PAGE_SIZE);
    }
    return 0;
}

/* Back the mapped pages [addr, addr + npages pages) with the frames ppns, copy-on-write: the
 * process reads the shared frame and copies it on its first write, as a private file mapping
 * shares the page cache. -1 if a page of the range is not mapped. */
int sv_as_map_frames(sv_aspace *as, uint64_t addr, uint32_t npages, const uint32_t *ppns)
{
    uint64_t first = addr >> SV_PAGE_SHIFT;
    if (as->nlazy && lazy_take(as, first, npages, 1) < 0)
        return -1;
    for (uint32_t i = 0; i < npages; i++)
        if (!pte_find(as, first + i))
            return -1;
    for (uint32_t i = 0; i < npages; i++) {
        sv_pte *e = pte_find(as, first + i);
        pte_changed(as, e);
        page_unref(as->phys, e->ppn);
        untouch(as, e);
        as->phys->refs[ppns[i]]++;
        e->ppn = ppns[i];
        e->prot = (e->prot & (7 | SV_PTE_NORESERVE)) | SV_PTE_COW;
    }
    return 0;
}

/* The host memory of a physical page: the page cache fills and writes back through it. */
uint8_t *sv_phys_page(sv_phys *p, uint32_t ppn)
{
    return page_host(p, ppn);
}

void sv_phys_ref(sv_phys *p, uint32_t ppn)
{
    p->refs[ppn]++;
}

void sv_phys_unref(sv_phys *p, uint32_t ppn)
{
    page_unref(p, ppn);
}

uint32_t sv_phys_refs(sv_phys *p, uint32_t ppn)
{
    return p->refs[ppn];
}

/* mremap's move: the entries of [old, old + len) go to [new, new + len) with their frames and
 * flags (shared, copy-on-write, past end of file), so a moved shared mapping stays shared and
 * nothing is read; promised ranges move as ranges. The caller has unmapped [new, new + len);
 * the ranges do not overlap. */
int sv_as_move(sv_aspace *as, uint64_t old, uint64_t new_addr, uint64_t len)
{
    uint64_t first, count, nfirst, ncount, n;
    if (range_pages(old, len, &first, &count) < 0 || range_pages(new_addr, len, &nfirst, &ncount) < 0)
        return -1;
    if (lazy_split(as, first) < 0 || lazy_split(as, first + count) < 0)
        return -2;
    uint32_t i, j;
    lazy_span(as, first, first + count, &i, &j);
    sv_lazy *moving = j > i ? malloc((size_t)(j - i) * sizeof *moving) : NULL;
    uint64_t *found = range_entries(as, first, count, &n);   /* (a reservation has none) */
    if (!found || (j > i && !moving)) {
        free(found);
        free(moving);
        return -2;
    }
    /* Room for every entry at its new place first, so no insert can fail half-way. */
    uint64_t entries = as->used - as->promised;
    if ((entries + as->tombs + n + 1) * 4 > as->capacity * 3) {
        uint64_t cap = as->capacity;
        while ((entries + n + 1) * 2 > cap)
            cap *= 2;
        if (rehash(as, cap) < 0) {
            free(found);
            free(moving);
            return -2;
        }
    }
    if (j > i) {   /* the ranges leave the array: the room they held takes them back */
        memcpy(moving, &as->lazy[i], (size_t)(j - i) * sizeof *moving);
        for (uint32_t k = i; k < j; k++)
            lazy_count(as, &as->lazy[k], -1);
        memmove(&as->lazy[i], &as->lazy[j], (size_t)(as->nlazy - j) * sizeof *as->lazy);
        as->nlazy -= j - i;
    }
    for (uint64_t k = 0; k < n; k++) {
        sv_pte *e = pte_find(as, found[k]);
        uint32_t ppn = e->ppn, prot = e->prot;
        pte_changed(as, e);
        e->vpn = TOMBSTONE;   /* the frame's reference moves with it */
        as->used--;
        as->tombs++;
        as->committed -= charged(prot);
        as->touched -= (prot & SV_PTE_TOUCHED) != 0;
        pte_insert(as, nfirst + (found[k] - first), ppn, prot);
    }
    for (uint32_t k = 0; k < j - i; k++)
        lazy_add(as, nfirst + (moving[k].first - first), moving[k].count, moving[k].prot);
    free(found);
    free(moving);
    return 0;
}
