#include "memkit/err.h"

const char *mk_strerror(mk_err err)
{
    static const char *const names[MK_ERR_COUNT_] = {
        [MK_OK] = "MK_OK: success",
        [MK_ENOMEM] = "MK_ENOMEM: out of memory",
        [MK_EINVAL] = "MK_EINVAL: invalid argument",
        [MK_EFULL] = "MK_EFULL: container is full",
        [MK_EEMPTY] = "MK_EEMPTY: container is empty",
        [MK_ECORRUPT] = "MK_ECORRUPT: metadata is corrupt",
        [MK_ERANGE] = "MK_ERANGE: size out of range",
        [MK_ETOOSMALL] = "MK_ETOOSMALL: region too small",
        [MK_EOVERLAP] = "MK_EOVERLAP: region overlaps an existing region",
        [MK_ELIMIT] = "MK_ELIMIT: too many regions",
        [MK_ENOCAPS] = "MK_ENOCAPS: no region has the requested capabilities",
        [MK_EBUSY] = "MK_EBUSY: region holds live blocks",
    };
    if ((unsigned)err >= (unsigned)MK_ERR_COUNT_)
        return "unknown error";
    return names[err];
}
