/* Module "added" of the entry-patching tests: loaded only just before the
 * reload, and called by the new version of module "probe". */
int added_calls;
void added_mark(void) { ++added_calls; }
