/* Exact instruction counts on an emulated target, for the on-target benchmarks.
 *   RV32: minstret, exact under QEMU's -icount shift=0.
 *   Cortex-M: SysTick, which QEMU's mps2 clocks at 25 MHz (40 ns a tick). Run with
 *   -icount shift=7 (128 ns an instruction, 3.2 ticks each): a difference of ticks then
 *   rounds to the exact number of instructions.
 * counter_start() once; then counted(counter(), counter()) brackets a piece of code, and
 * counter_overhead() is what two reads with nothing between them cost. */
#ifndef MEMKIT_BENCH_COUNTER_H
#define MEMKIT_BENCH_COUNTER_H

#include <stdint.h>

#if defined(__riscv)
static inline uint32_t counter(void)
{
    uint32_t v;
    __asm__ volatile(".option push\n.option arch, +zicsr\ncsrr %0, minstret\n.option pop"
                     : "=r"(v) : : "memory");
    return v;
}
static inline void counter_start(void) {}
static inline uint32_t counted(uint32_t before, uint32_t after) { return after - before; }
#elif defined(__ARM_ARCH)
#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u) /* what counter() reads */
/* One asm statement that also forms the address: the compiler cannot move a memory
 * access to either side of the read, and the address costs the same in every reading,
 * so counter_overhead() takes it out. */
static inline uint32_t counter(void)
{
    uint32_t v;
    __asm__ volatile("movw %0, #0xE018\n\tmovt %0, #0xE000\n\tldr %0, [%0]"
                     : "=r"(v) : : "memory");
    return v;
}
static inline void counter_start(void)
{
    SYST_RVR = 0xFFFFFFu;
    SYST_CVR = 0;
    SYST_CSR = 5u; /* enabled, processor clock, no interrupt */
}
static inline uint32_t counted(uint32_t before, uint32_t after)
{
    uint32_t ticks = (before - after) & 0xFFFFFFu; /* counts down, 24 bits */
    return (ticks * 40u + 64u) / 128u;
}
#else
#error "the on-target benchmarks need RV32 or Cortex-M"
#endif

/* The least of a few: the first SysTick reads can straddle its first reload. */
static inline uint32_t counter_overhead(void)
{
    uint32_t least = UINT32_MAX;
    for (int i = 0; i < 8; i++) {
        uint32_t t0 = counter();
        uint32_t t1 = counter();
        least = counted(t0, t1) < least ? counted(t0, t1) : least;
    }
    return least;
}

#endif
