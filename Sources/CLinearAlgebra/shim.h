#ifndef DLNTUI_CLINEARALGEBRA_SHIM_H
#define DLNTUI_CLINEARALGEBRA_SHIM_H
/* CBLAS from OpenBLAS and LAPACKE. lapack_int/lapack_logical are macros that Swift cannot
   see, so they are typedef'd; complex types as structs so they import as values. */
#define LAPACK_COMPLEX_STRUCTURE 1
#include <cblas.h>
#include <lapacke.h>

typedef lapack_int dln_lapack_int;
typedef lapack_logical dln_lapack_logical;

#endif
