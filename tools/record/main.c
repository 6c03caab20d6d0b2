/* memkit-record: the recorder on its own, until the memkit command dispatches to it. */
#include "record.h"

int main(int argc, char **argv) { return mkt_record_main(argc, argv); }
