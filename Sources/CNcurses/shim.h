#ifndef DLNTUI_CNCURSES_SHIM_H
#define DLNTUI_CNCURSES_SHIM_H
/* The wide API must be switched on here: SwiftPM drops the -D flags pkg-config gives. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncursesw/ncurses.h>

/* Globals and macros Swift cannot touch directly (Swift 6 concurrency checking, function-like macros). */
static inline WINDOW *dln_stdscr(void) { return stdscr; }
static inline int dln_lines(void) { return LINES; }
static inline int dln_cols(void) { return COLS; }
static inline attr_t dln_a_bold(void) { return A_BOLD; }
static inline attr_t dln_a_reverse(void) { return A_REVERSE; }
static inline attr_t dln_a_dim(void) { return A_DIM; }
static inline attr_t dln_a_underline(void) { return A_UNDERLINE; }
static inline attr_t dln_a_normal(void) { return A_NORMAL; }

#endif
