/*-------------------------------------------------------------------------
 *
 * shim.h
 *	  The fuzz target's view of the backend shim: the error last raised and
 *	  where an ERROR jumps to.
 *
 * test/fuzz/shim.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SEEDKIT_FUZZ_SHIM_H
#define SEEDKIT_FUZZ_SHIM_H

#include <setjmp.h>

typedef struct ShimError
{
	bool		raised;
	int			sqlerrcode;
	char		message[512];
	char		detail[512];
	char		hint[512];
} ShimError;

extern sigjmp_buf *shim_error_jmp;
extern ShimError shim_error;

#endif							/* SEEDKIT_FUZZ_SHIM_H */
