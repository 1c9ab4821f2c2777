/* Looks like Nim's main module to hcr-build (it defines PreMain), with a
 * line in PreMain that hcr-build does not know how to move. */
#define N_LIB_PRIVATE
static int ready;
N_LIB_PRIVATE void PreMain(void) {
	ready = 1;
}
int main(void) {
  PreMain();
  return !ready;
}
