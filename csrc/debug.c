/* What the gdb stub (runtime/gdbstub) needs from C: where a guest page lives in the engine's
 * physical memory, for watchpoints (Unicorn's memory hooks see physical addresses in
 * virtual-TLB mode). */
#include "sysvec.h"

/* The engine address behind a guest address, backing the page if it was never touched;
 * UINT64_MAX if unmapped. */
uint64_t sv_as_translate(sv_aspace *as, uint64_t vaddr)
{
    uc_tlb_entry e;
    if (sv_as_fill(as, vaddr, UC_MEM_READ, &e) <= 0)
        return UINT64_MAX;
    return e.paddr + (vaddr & (SV_PAGE_SIZE - 1));
}
