void show(void);
int main(void) {
  show();
  return 0;
}
