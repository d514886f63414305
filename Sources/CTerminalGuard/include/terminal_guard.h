#ifndef DLNTUI_TERMINAL_GUARD_H
#define DLNTUI_TERMINAL_GUARD_H
/* The tty's state from before curses and the signal handlers that restore it: one definition in
   terminal_guard.c, whatever calls these from wherever. */

/* Saves the tty settings of stdin; -1 when stdin is not a terminal. */
int dln_tty_save(void);
/* Puts the tty back as it was at start: async-signal-safe (tcsetattr only). */
void dln_tty_restore(void);
/* Whether a crash must also reset the screen (leave the alternate screen, show the cursor). */
void dln_set_curses_active(int on);
/* SIGINT, SIGTERM, SIGHUP ask the main loop to quit; Ctrl-Z asks it to suspend; crash signals
   restore the terminal and re-raise. Installed before curses starts. */
void dln_install_signal_handlers(void);
/* The quit signal received so far (0 if none). */
int dln_pending_quit_signal(void);
/* Whether Ctrl-Z was pressed since the last call. */
int dln_take_suspend_request(void);
/* Stops the process the way the shell expects (default SIGTSTP), returns after SIGCONT with the
   handler back in place. The caller has ended curses and restored the tty first. */
void dln_stop_self(void);
/* For threads other than the one running curses: job-control, resize and quit signals then go to
   the curses thread or, on threads started before main (OpenBLAS's), only raise flags. */
void dln_block_async_signals(void);

#endif
