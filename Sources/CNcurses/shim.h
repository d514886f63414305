#ifndef DLNTUI_CNCURSES_SHIM_H
#define DLNTUI_CNCURSES_SHIM_H
/* The wide API must be switched on here: SwiftPM drops the -D flags pkg-config gives. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>
#include <ncursesw/term.h>

/* Globals and macros Swift cannot touch directly (Swift 6 concurrency checking, function-like macros). */
static inline WINDOW *dln_stdscr(void) { return stdscr; }
static inline int dln_lines(void) { return LINES; }
static inline int dln_cols(void) { return COLS; }
static inline int dln_colors(void) { return COLORS; }
static inline int dln_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t dln_a_bold(void) { return A_BOLD; }
static inline attr_t dln_a_reverse(void) { return A_REVERSE; }
static inline attr_t dln_a_dim(void) { return A_DIM; }
static inline attr_t dln_a_underline(void) { return A_UNDERLINE; }
static inline attr_t dln_a_normal(void) { return A_NORMAL; }
static inline int dln_key_resize(void) { return KEY_RESIZE; }

/* The window's size now (TIOCGWINSZ), told to curses if it changed: a resize while dlntui was
   stopped sent its SIGWINCH to the shell, not to us. Returns 1 when the size changed. */
static inline int dln_sync_window_size(void) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return 0;
    if ((int)ws.ws_row == LINES && (int)ws.ws_col == COLS) return 0;
    resizeterm(ws.ws_row, ws.ws_col);
    return 1;
}

/* The locale's character set after setlocale(LC_ALL, ""): "UTF-8" when braille can be drawn. */
static inline const char *dln_codeset(void) { return nl_langinfo(CODESET); }

/* Whether the terminal can move the cursor (terminfo's cup): TERM=dumb cannot, and ncurses
   accepts it anyway. Call after newterm. */
static inline int dln_can_address_cursor(void) {
    char *cup = tigetstr("cup");
    return cup != NULL && cup != (char *)-1;
}

/* newterm on the standard streams: unlike initscr it returns NULL instead of exiting. */
static inline SCREEN *dln_newterm(void) { return newterm(NULL, stdout, stdin); }

/* Whether the terminfo entry declares direct colour (the RGB capability, e.g. xterm-direct). */
static inline int dln_has_rgb(void) {
    int flag = tigetflag("RGB");
    if (flag > 0) return 1;
    int num = tigetnum("RGB");
    return num > 0 ? 1 : 0;
}

/* One cell: a wide character with attributes and an extended colour pair (passed through opts,
   since the short pair argument wraps at 256). */
static inline int dln_put_cell(int y, int x, wchar_t ch, attr_t attrs, int pair) {
    cchar_t cell;
    wchar_t text[2] = { ch, 0 };
    if (setcchar(&cell, text, attrs, 0, &pair) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}

/* The background every erase/clear uses. */
static inline void dln_set_background(int pair) {
    cchar_t cell;
    wchar_t text[2] = { L' ', 0 };
    setcchar(&cell, text, A_NORMAL, 0, &pair);
    wbkgrndset(stdscr, &cell);
}

/* Reads one key within timeout_ms: 0 a character, 1 a function key (KEY_*), -1 nothing. */
static inline int dln_read_key(int timeout_ms, unsigned int *out) {
    wint_t w = 0;
    wtimeout(stdscr, timeout_ms);
    int r = wget_wch(stdscr, &w);
    *out = (unsigned int)w;
    if (r == KEY_CODE_YES) return 1;
    if (r == OK) return 0;
    return -1;
}

/* The terminal hygiene (the tty saved before curses, signal handlers, the crash reset) is C of its
   own, CTerminalGuard: its state must exist once in the process. */

#endif
