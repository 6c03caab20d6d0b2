/* memkit error codes: one enum shared by every component. */
#ifndef MEMKIT_ERR_H
#define MEMKIT_ERR_H

/* Result of a fallible operation that does not return a pointer. MK_OK is zero. */
typedef enum mk_err {
    MK_OK = 0,
    MK_ENOMEM,    /* no free block (or slot) large enough */
    MK_EINVAL,    /* an argument breaks the contract (NULL, non-power-of-two alignment) */
    MK_EFULL,     /* a fixed-capacity container is full */
    MK_EEMPTY,    /* a container is empty */
    MK_ECORRUPT,  /* an integrity check found damaged metadata */
    MK_ERANGE,    /* a size is too large to represent (overflow, > 4 GiB region) */
    MK_ETOOSMALL, /* a region is too small to hold its index and one block */
    MK_EOVERLAP,  /* a region overlaps one the heap already has */
    MK_ELIMIT,    /* the heap already holds MK_HEAP_MAX_REGIONS regions */
    MK_ENOCAPS,   /* no region has every requested capability */
    MK_EBUSY,     /* a region still holds live blocks */
    MK_ERR_COUNT_
} mk_err;

/* Returns a static, human-readable name for `err` ("MK_ENOMEM: out of memory");
 * an unknown value gives "unknown error". O(1). */
const char *mk_strerror(mk_err err);

#endif /* MEMKIT_ERR_H */
