/* Module "user" of the entry-patching tests: never reloaded, it calls f of
 * module "probe" across modules (through its PLT), as other modules do. */
int f(int *static_calls);
int user_call_f(int *static_calls) { return f(static_calls); }
