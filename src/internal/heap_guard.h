/*
 * mk_heap guards of the fully checked build (MK_CHECKED=2). Private.
 *
 * Two patterns catch what header canaries cannot:
 *
 *   free poison   every byte of a free block that is not its metadata holds
 *                 MK__FREE_POISON:
 *                     [canary][size][next][prev] [poison .........] [footer]
 *                 Freeing poisons the payload, and coalescing poisons the metadata it
 *                 absorbs. Allocation checks the bytes it hands out are still poison, so
 *                 a write through a dangling pointer is caught when its block is reused
 *                 (mk_heap_check catches it in any free block).
 *   tail guard    checked builds size every block for at least one byte more than the
 *                 request; that slack holds MK__TAIL_POISON and, in its last byte, the
 *                 slack length, masked:
 *                     [canary][size] [payload: request ...] [poison ...] [slack^mask]
 *                 A write just past the request changes the first slack byte (or the
 *                 length byte), which free, realloc and mk_heap_check see. The length is what lets a checked heap
 *                 know the request size: mk_heap_usable_size returns it, so a program
 *                 that uses all of usable_size is never accused.
 *
 * Both cost time proportional to the block (checked builds trade O(1) for O(size) on
 * alloc and free: documented in heap.h). Slack above 255 bytes (only with MK_ALIGN above
 * 128) is guarded in its last 255 bytes; the rest counts as payload.
 */
#ifndef MEMKIT_INTERNAL_HEAP_GUARD_H
#define MEMKIT_INTERNAL_HEAP_GUARD_H

#include "internal/heap_layout.h"
#include "internal/mem.h"

/* The byte-pattern guards cost O(block size) per operation: level 2 only. */
#define MK__HEAP_GUARDS (MK_CHECKED >= 2)

#if MK__HEAP_GUARDS

#define MK__FREE_POISON 0x55u
#define MK__TAIL_POISON 0xAAu
#define MK__SLACK_MASK 0xA5u /* a zeroed or ASCII length byte does not read as valid */
/* Bytes every block holds beyond its request, for the tail guard. */
#define MK__GUARD_SLACK 1u
/* Bytes at the start of a free block's payload that hold links, not poison. */
#define MK__LINKS 8u

static inline unsigned char *mk__bytes(const mk__heap_region *r, uint32_t off)
{
    return (unsigned char *)(uintptr_t)r + off;
}

MK__NO_LIBCALLS static inline void mk__poison(mk__heap_region *r, uint32_t from, uint32_t to)
{
    unsigned char *p = mk__bytes(r, 0);
    for (uint32_t i = from; i < to; i++)
        p[i] = (unsigned char)MK__FREE_POISON;
}

/* Offset of the first byte of [from, to) that is not free poison, or `to`. */
static inline uint32_t mk__poison_broken(const mk__heap_region *r, uint32_t from, uint32_t to)
{
    const unsigned char *p = mk__bytes(r, 0);
    uint32_t i = from;
    while (i < to && p[i] == MK__FREE_POISON)
        i++;
    return i;
}

/* Poisons the payload of free block b (size `size`) except its links and footer. */
static inline void mk__poison_free_interior(mk__heap_region *r, uint32_t b, uint32_t size)
{
    mk__poison(r, b + MK__HDR + MK__LINKS, b + size - 4u);
}

/* Marks used block b (size `size`) as holding a request of `request` bytes. */
MK__NO_LIBCALLS static inline void mk__guard_set(mk__heap_region *r, uint32_t b, uint32_t size,
                                                 size_t request)
{
    uint32_t payload = size - MK__HDR;
    uint32_t slack = payload - (uint32_t)request; /* >= 1: see MK__GUARD_SLACK */
    if (slack > 255u)
        slack = 255u;
    unsigned char *end = mk__bytes(r, b + size);
    for (uint32_t i = 2; i <= slack; i++)
        end[-(int32_t)i] = (unsigned char)MK__TAIL_POISON;
    end[-1] = (unsigned char)(slack ^ MK__SLACK_MASK);
}

/* Bytes of used block b's payload that hold the request, or UINT32_MAX when the tail
 * guard is damaged (a write past the request). */
static inline uint32_t mk__guard_request(const mk__heap_region *r, uint32_t b, uint32_t size)
{
    uint32_t payload = size - MK__HDR;
    const unsigned char *end = mk__bytes(r, b + size);
    uint32_t slack = (uint32_t)(end[-1] ^ MK__SLACK_MASK);
    if (slack == 0 || slack > payload)
        return UINT32_MAX;
    for (uint32_t i = 2; i <= slack; i++)
        if (end[-(int32_t)i] != MK__TAIL_POISON)
            return UINT32_MAX;
    return payload - slack;
}

#else
#define MK__GUARD_SLACK 0u
#endif /* MK__HEAP_GUARDS */

/* Block size for a request: header + payload (+ the checked builds' guard byte) rounded
 * up to G, at least MIN_BLOCK. The caller has rejected sizes above MK__MAX_REQUEST. */
static inline uint32_t mk__block_size_for(size_t size)
{
    uint32_t need = ((uint32_t)size + MK__HDR + MK__GUARD_SLACK + MK__G - 1u) & ~(MK__G - 1u);
    return need < MK__MIN_BLOCK ? MK__MIN_BLOCK : need;
}

#endif
