#ifndef DLNTUI_CNCURSES_SHIM_H
#define DLNTUI_CNCURSES_SHIM_H
/* The wide API must be switched on here: SwiftPM drops the -D flags pkg-config gives. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#define NCURSES_WIDECHAR 1
#include <fcntl.h>
#include <locale.h>
#include <langinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
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

/* ---- Terminal hygiene: the tty state saved before curses starts, restored on every way out. ----
   The state lives in a function-local static. Swift emits a copy of every static inline function
   into each object file that calls it, so exactly ONE Swift file (DLNTerminal's
   Terminal/TerminalGuard.swift) may call the functions below; everyone else goes through it. */

struct dln_state {
    struct termios tty;
    volatile sig_atomic_t saved;
    volatile sig_atomic_t quit;
    volatile sig_atomic_t curses;
    volatile sig_atomic_t suspend;
    struct sigaction previous[65];
};

static inline struct dln_state *dln_state(void) {
    static struct dln_state state;
    return &state;
}

static inline int dln_tty_save(void) {
    if (tcgetattr(STDIN_FILENO, &dln_state()->tty) != 0) return -1;
    dln_state()->saved = 1;
    return 0;
}

/* Puts the tty back as it was at start: async-signal-safe (tcsetattr and write only). */
static inline void dln_tty_restore(void) {
    if (dln_state()->saved) tcsetattr(STDIN_FILENO, TCSADRAIN, &dln_state()->tty);
}

/* After a crash curses cannot be trusted: leave the alternate screen, reset attributes, show the
   cursor, leave keypad mode, then restore the tty. */
static inline void dln_tty_emergency(void) {
    if (dln_state()->curses) {
        static const char reset[] = "\033[0m\033[?1049l\033[?25h\033[?1l\033>\r\n";
        ssize_t ignored = write(STDOUT_FILENO, reset, sizeof reset - 1);
        (void)ignored;
        dln_state()->curses = 0;
    }
    dln_tty_restore();
}

static inline void dln_set_curses_active(int on) { dln_state()->curses = on; }

static inline void dln_fatal_handler(int sig, siginfo_t *info, void *context) {
    (void)context;
    dln_tty_emergency();
    /* Other threads may still be drawing: send curses's later output nowhere, so that the crash
       report (on stderr) lands on a clean screen. */
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) { dup2(null, STDOUT_FILENO); close(null); }
    if (info != NULL && info->si_code <= 0 && info->si_pid != getpid()) {
        /* Sent by another process (kill, sigqueue, tgkill: si_code <= 0; abort() and raise() are
           SI_TKILL from our own pid): no instruction will fault again and no abort()
           will follow once the handlers return, and Swift's backtracer returns expecting one, so
           the process would live on with its screen gone. Die of it now, as the default action
           would (there is no crash to report). */
        signal(sig, SIG_DFL);
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, sig);
        pthread_sigmask(SIG_UNBLOCK, &set, NULL);
        raise(sig);
        _exit(128 + sig);
    }
    /* A real fault or abort(): hand the signal to whoever had it before (Swift's backtracer, or
       the default action); it is delivered when this handler returns, in the faulting context,
       and the fault (or abort) recurs under the default action. */
    if (sig > 0 && sig < 65) sigaction(sig, &dln_state()->previous[sig], NULL);
    raise(sig);
}

static inline void dln_quit_handler(int sig) {
    if (dln_state()->quit != 0) {
        /* A second request while the first is being handled: stop waiting. */
        dln_tty_emergency();
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    dln_state()->quit = sig;
}

/* Ctrl-Z only raises a flag: the kernel may deliver SIGTSTP to any thread that does not block it
   (OpenBLAS starts its threads before main runs), and ncurses's own handler would then call
   curses from that thread while the main thread draws. The curses thread suspends itself. */
static inline void dln_suspend_handler(int sig) {
    (void)sig;
    dln_state()->suspend = 1;
}

static inline void dln_install_suspend_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = dln_suspend_handler;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGTSTP, &sa, NULL);
}

/* Whether Ctrl-Z was pressed since the last call. */
static inline int dln_take_suspend_request(void) {
    if (dln_state()->suspend == 0) return 0;
    dln_state()->suspend = 0;
    return 1;
}

/* Stops the process the way the shell expects (default SIGTSTP), returns after SIGCONT with the
   handler back in place. The caller has ended curses and restored the tty first. */
static inline void dln_stop_self(void) {
    signal(SIGTSTP, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTSTP);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    kill(getpid(), SIGTSTP);
    /* A Ctrl-Z pressed while curses was ending asked for the stop that just happened. */
    dln_state()->suspend = 0;
    dln_install_suspend_handler();
}

/* SIGINT, SIGTERM, SIGHUP ask the main loop to quit (it restores the terminal and exits);
   Ctrl-Z asks it to suspend; crash signals restore the terminal and re-raise. Installed before
   curses starts, so ncurses leaves these signals to us. */
static inline void dln_install_signal_handlers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = dln_quit_handler;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    dln_install_suspend_handler();
    int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP, SIGSYS };
    for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        struct sigaction f;
        memset(&f, 0, sizeof f);
        sigemptyset(&f.sa_mask);
        f.sa_sigaction = dln_fatal_handler;
        f.sa_flags = SA_ONSTACK | SA_SIGINFO;
        sigaction(fatal[i], &f, &dln_state()->previous[fatal[i]]);
    }
}

/* The quit signal received so far (0 if none). */
static inline int dln_pending_quit_signal(void) { return dln_state()->quit; }

/* For threads other than the one running curses: job-control, resize and quit signals then go to
   the curses thread or, on threads started before main (OpenBLAS's), only raise flags. */
static inline void dln_block_async_signals(void) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGTSTP);
    sigaddset(&set, SIGCONT);
    sigaddset(&set, SIGWINCH);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

#endif
