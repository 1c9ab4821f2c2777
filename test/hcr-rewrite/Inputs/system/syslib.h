// A header outside the project (included with -isystem).
#define READ_IT() (shared_value)
