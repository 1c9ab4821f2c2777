// The program: amounts on stdin go to one account; "reload" reloads
// changed modules (hcr_perform_reload, from <hcr/hcr.h>).
[CCode (cheader_filename = "hcr/hcr.h", cname = "hcr_perform_reload")]
extern int perform_reload ();

int main (string[] args) {
  var account = new Account ("alice");
  string? line;
  while ((line = stdin.read_line ()) != null) {
    if (line == "reload")
      print ("reload: %d\n", perform_reload ());
    else {
      account.deposit (int.parse (line));
      print ("%s\n", account.describe ());
    }
    print ("ok\n");
    stdout.flush ();
  }
  return 0;
}
