// An account: a GObject class whose balance changes with each deposit.
// The fee is a virtual method (called through the class's vtable), the
// code that the test edits.
public class Account : Object {
  public string owner { get; construct; }
  public int balance { get; private set; default = 0; }
  public int deposits { get; private set; default = 0; }

  public Account (string owner) {
    Object (owner: owner);
  }

  public virtual int fee (int amount) {
    return amount / 10;
  }

  public void deposit (int amount) {
    balance += amount - fee (amount);
    deposits++;
  }

  public string describe () {
    return "%s: %d after %d deposits".printf (owner, balance, deposits);
  }
}
