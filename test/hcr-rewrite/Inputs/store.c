// Module "store" of the extern-globals test.
int store_size;
const char *store_names[8] = {"first"};
int store_put(const char *key, int value) { (void)key; return store_size += value; }
int store_unused(void) { return 0; }
