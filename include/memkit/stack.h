/*
 * mk_stack: how deep a stack has been, by painting.
 *
 * Contents
 *   MK_STACK_PATTERN ...... the byte unused stack is painted with
 *   mk_stack_paint ........ fill [lo, hi) with the pattern (at start-up)
 *   mk_stack_high_water ... bytes of [lo, hi) used since (deepest use)
 *
 * How it works
 *   Paint the part of a stack that is not in use with a known byte; later, the painted
 *   bytes that no longer hold it show how deep the stack went. The stack is taken to
 *   grow down (Arm, RISC-V, x86 and nearly every other target): `hi` is the end nearer
 *   the stack's top, `lo` its limit. mk_stack_high_water scans up from lo, the far end,
 *   and stops at the first byte that is not the pattern, so a pattern byte that a
 *   function happened to store higher up cannot make it read low; a function that
 *   leaves a deep part of its frame unwritten can (the frame was reserved but never
 *   touched), so leave a margin.
 *
 * Choosing the range safely
 *   Painting overwrites [lo, hi): nothing live may be there, and nothing may start using
 *   it while the paint runs.
 *   - A stack not yet running (an RTOS task before it starts, a thread's stack before
 *     the thread): paint all of it, [stack limit, stack top).
 *   - The stack you are running on: paint from its limit (a linker symbol such as
 *     __StackLimit, or the bottom of the buffer given to the thread) up to well below
 *     the current stack pointer, leaving room for mk_stack_paint's own frame (a leaf
 *     function: a few words):
 *         unsigned char here;
 *         mk_stack_paint(stack_limit, (unsigned char *)&here - MK_STACK_PAINT_MARGIN);
 *     (compare integers if stack_limit and &here are not in one declared object), and
 *     do it with interrupts disabled, or before they are enabled, when interrupt
 *     handlers run on this stack: one would push its frame into the bytes being painted.
 *   The bytes between hi and the top are not measured: add them (the depth in use when
 *   you painted) to the figure high_water reports.
 *
 * Cost and safety
 *   paint is O(hi - lo). high_water only reads, with ordinary loads, and is safe to call
 *   from an interrupt handler or another thread (it reports a snapshot); it is
 *   O(hi - lo - result): proportional to the part of the stack never used, which is what
 *   stays small when a stack is sized tightly. Both compare addresses as integers and
 *   accept lo >= hi (an empty range). In AddressSanitizer and ThreadSanitizer builds both
 *   are exempt from instrumentation, since they touch stack memory outside any live
 *   object by design.
 */
#ifndef MEMKIT_STACK_H
#define MEMKIT_STACK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The paint: not zero (stacks are full of zeros) and not a likely pointer or small
 * integer byte. */
#define MK_STACK_PATTERN 0xA5u

/* A margin below the current stack pointer that covers mk_stack_paint's own frame on
 * every supported target and optimisation level, for painting the running stack. */
#define MK_STACK_PAINT_MARGIN 256u

/* Fills every byte of [lo, hi) with MK_STACK_PATTERN (nothing when lo >= hi). See
 * "Choosing the range safely": painting memory in use is undefined. Cannot fail.
 * O(hi - lo). */
void mk_stack_paint(void *lo, void *hi);

/* Returns how many bytes of [lo, hi), painted by mk_stack_paint, have been written
 * since: hi minus the lowest byte that no longer holds the pattern (0 when all still
 * do, or lo >= hi). Reads only; interrupt-safe. O(hi - lo - result). */
size_t mk_stack_high_water(const void *lo, const void *hi);

#ifdef __cplusplus
}
#endif

#endif /* MEMKIT_STACK_H */
