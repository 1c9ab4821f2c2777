//===- LayoutMigration.cpp - A kept global's bytes under a new layout -----===//

#include "LayoutMigration.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

namespace hcr {
namespace {

struct Node;
struct FieldNode;

/// A parsed layout.
struct Node {
  char Kind = 0; ///< i u f b p [ { < o
  uint64_t Bytes = 0;
  uint64_t Count = 0;  ///< Arrays.
  std::string Text;    ///< The layout exactly as written.
  std::string Name;    ///< Records.
  std::string Pointee; ///< Pointers: the pointee's text.
  std::vector<FieldNode> Fields;
  std::shared_ptr<Node> Element; ///< Arrays.
};

struct FieldNode {
  std::string Name;
  uint64_t Offset = 0; ///< Bytes; bits for a bit-field.
  unsigned BitWidth = 0;
  Node Type;
};

class Parser {
public:
  explicit Parser(const std::string &S) : S(S) {}
  bool parseAll(Node &N) { return parse(N) && P == S.size(); }

private:
  bool parse(Node &N) {
    size_t Start = P;
    if (P >= S.size())
      return false;
    char C = S[P++];
    N.Kind = C;
    switch (C) {
    case 'i':
    case 'u':
    case 'f':
    case 'o':
      if (!number(N.Bytes))
        return false;
      break;
    case 'b':
      N.Bytes = 1;
      break;
    case 'p': {
      N.Bytes = sizeof(void *);
      size_t From = P;
      if (!pointee())
        return false;
      N.Pointee = S.substr(From, P - From);
      break;
    }
    case '[': {
      auto E = std::make_shared<Node>();
      if (!number(N.Count) || !expect(']') || !parse(*E))
        return false;
      N.Bytes = N.Count * E->Bytes;
      N.Element = std::move(E);
      break;
    }
    case '{':
    case '<': {
      char Close = C == '{' ? '}' : '>';
      if (!number(N.Bytes) || !expect(';'))
        return false;
      N.Name = until(';');
      if (!expect(';'))
        return false;
      while (P < S.size() && S[P] != Close) {
        FieldNode F;
        F.Name = until('@');
        uint64_t Width = 0;
        if (F.Name.empty() || !expect('@') || !number(F.Offset))
          return false;
        if (P < S.size() && S[P] == '!') {
          ++P;
          if (!number(Width) || Width == 0 || Width > 64)
            return false;
        }
        F.BitWidth = static_cast<unsigned>(Width);
        if (!expect(':') || !parse(F.Type) || !expect(','))
          return false;
        N.Fields.push_back(std::move(F));
      }
      if (!expect(Close))
        return false;
      break;
    }
    default:
      return false;
    }
    N.Text = S.substr(Start, P - Start);
    return true;
  }
  bool pointee() {
    if (P >= S.size())
      return false;
    if (S[P] == 'v' || S[P] == 'F') {
      ++P;
      return true;
    }
    if (S[P] == 'r') {
      ++P;
      until('#');
      if (!expect('#'))
        return false;
      while (P < S.size() && std::isalnum(static_cast<unsigned char>(S[P])))
        ++P;
      return true;
    }
    Node Skipped;
    return parse(Skipped);
  }
  bool number(uint64_t &Out) {
    size_t From = P;
    Out = 0;
    while (P < S.size() && S[P] >= '0' && S[P] <= '9')
      Out = Out * 10 + (S[P++] - '0');
    return P > From;
  }
  bool expect(char C) {
    if (P < S.size() && S[P] == C) {
      ++P;
      return true;
    }
    return false;
  }
  std::string until(char C) {
    size_t From = P;
    while (P < S.size() && S[P] != C)
      ++P;
    return S.substr(From, P - From);
  }
  const std::string &S;
  size_t P = 0;
};

bool isScalar(const Node &N) {
  return (N.Kind == 'i' || N.Kind == 'u') ? N.Bytes <= 8
         : N.Kind == 'f' ? N.Bytes == 4 || N.Bytes == 8 || N.Bytes == 16
                         : N.Kind == 'b';
}

std::string describe(const Node &N);

std::string describePointee(const std::string &P) {
  if (P == "v")
    return "void";
  if (P == "F")
    return "a function";
  if (!P.empty() && P[0] == 'r') {
    std::string Name = P.substr(1, P.find('#') - 1);
    return Name.empty() ? "a struct" : "struct " + Name;
  }
  Node N;
  return Parser(P).parseAll(N) ? describe(N) : P;
}

std::string describe(const Node &N) {
  switch (N.Kind) {
  case 'i':
  case 'u':
    return std::string(N.Kind == 'i' ? "int" : "uint") +
           std::to_string(N.Bytes * 8);
  case 'f':
    return N.Bytes == 4 ? "float" : N.Bytes == 8 ? "double" : "long double";
  case 'b':
    return "bool";
  case 'p':
    return "a pointer to " + describePointee(N.Pointee);
  case '[':
    return "an array of " + std::to_string(N.Count) + " " +
           describe(*N.Element);
  case '{':
    return N.Name.empty() ? "a struct" : "struct " + N.Name;
  case '<':
    return N.Name.empty() ? "a union" : "union " + N.Name;
  default:
    return std::to_string(N.Bytes) + " opaque bytes";
  }
}

class Planner {
public:
  explicit Planner(MigrationPlan &Plan) : Plan(Plan) {}
  std::string Why;

  /// Old at OldAt, New at NewAt (bits if a bit-field's width is given).
  bool plan(const Node &Old, uint64_t OldAt, unsigned OldWidth, const Node &New,
            uint64_t NewAt, unsigned NewWidth, const std::string &Path) {
    if (Old.Text == New.Text && !OldWidth && !NewWidth) {
      copy(OldAt, NewAt, New.Bytes);
      return true;
    }
    if (isScalar(Old) && isScalar(New)) {
      MigrationStep S;
      S.Convert = true;
      S.From = OldWidth ? OldAt : OldAt * 8;
      S.To = NewWidth ? NewAt : NewAt * 8;
      S.FromKind = Old.Kind, S.ToKind = New.Kind;
      S.FromBytes = Old.Bytes, S.ToBytes = New.Bytes;
      S.FromBitWidth = OldWidth, S.ToBitWidth = NewWidth;
      if ((OldWidth || NewWidth) && (Old.Kind == 'f' || New.Kind == 'f'))
        return refuse(Path, Old, New); // A floating bit-field is not C.
      Plan.Steps.push_back(S);
      return true;
    }
    if (OldWidth || NewWidth)
      return refuse(Path, Old, New);
    if (Old.Kind == '{' && New.Kind == '{') {
      for (const FieldNode &NF : New.Fields) {
        auto OF =
            std::find_if(Old.Fields.begin(), Old.Fields.end(),
                         [&](const FieldNode &F) { return F.Name == NF.Name; });
        if (OF == Old.Fields.end()) {
          ++Plan.Added;
          continue;
        }
        ++Plan.Kept;
        uint64_t From =
            OF->BitWidth ? OldAt * 8 + OF->Offset : OldAt + OF->Offset;
        uint64_t To = NF.BitWidth ? NewAt * 8 + NF.Offset : NewAt + NF.Offset;
        if (!plan(OF->Type, From, OF->BitWidth, NF.Type, To, NF.BitWidth,
                  join(Path, NF.Name)))
          return false;
      }
      for (const FieldNode &OF : Old.Fields)
        Plan.Dropped +=
            std::none_of(New.Fields.begin(), New.Fields.end(),
                         [&](const FieldNode &F) { return F.Name == OF.Name; });
      return true;
    }
    if (Old.Kind == '[' && New.Kind == '[') {
      uint64_t Common = std::min(Old.Count, New.Count);
      const Node &OE = *Old.Element, &NE = *New.Element;
      if (OE.Text == NE.Text) {
        copy(OldAt, NewAt, Common * NE.Bytes);
        return true;
      }
      // One element's plan, repeated with the arrays' strides.
      MigrationPlan Element;
      Planner Inner(Element);
      if (!Inner.plan(OE, 0, 0, NE, 0, 0, Path + "[]")) {
        Why = Inner.Why;
        return false;
      }
      for (MigrationStep S : Element.Steps) {
        S.Loops.insert(S.Loops.begin(),
                       MigrationStep::Loop{Common, OE.Bytes, NE.Bytes});
        S.From += S.Convert ? OldAt * 8 : OldAt;
        S.To += S.Convert ? NewAt * 8 : NewAt;
        Plan.Steps.push_back(std::move(S));
      }
      Plan.Kept += Element.Kept, Plan.Added += Element.Added;
      Plan.Dropped += Element.Dropped;
      return true;
    }
    return refuse(Path, Old, New);
  }

private:
  static std::string join(const std::string &Path, const std::string &Name) {
    return Path.empty() ? Name : Path + "." + Name;
  }
  void copy(uint64_t From, uint64_t To, uint64_t Size) {
    MigrationStep S;
    S.From = From, S.To = To, S.Size = Size;
    Plan.Steps.push_back(S);
  }
  bool refuse(const std::string &Path, const Node &Old, const Node &New) {
    std::string What = Path.empty() ? "it" : "field '" + Path + "'";
    std::string Was = describe(Old), Now = describe(New);
    if (Was == Now && Old.Kind == 'p')
      Now += " whose layout changed";
    else if (Was == Now && Old.Kind == '<')
      Now += " whose members changed";
    else if (Was == Now)
      Now += ", changed";
    if (Old.Kind == '<' && New.Kind == '<')
      Why = What + " is " + Was + ", whose members changed";
    else
      Why = What + " was " + Was + " and is now " + Now;
    return false;
  }
  MigrationPlan &Plan;
};

/// A scalar's value on its way between two types.
struct Value {
  bool IsFloat = false, IsSigned = false;
  long double F = 0;
  uint64_t Bits = 0; ///< The integer, two's complement.
};

uint64_t readBits(const unsigned char *Base, uint64_t BitAt, unsigned Width) {
  uint64_t V = 0;
  for (unsigned I = 0; I < Width; ++I) {
    uint64_t B = BitAt + I;
    V |= uint64_t((Base[B / 8] >> (B % 8)) & 1) << I;
  }
  return V;
}

void writeBits(unsigned char *Base, uint64_t BitAt, unsigned Width,
               uint64_t V) {
  for (unsigned I = 0; I < Width; ++I) {
    uint64_t B = BitAt + I;
    unsigned char Mask = static_cast<unsigned char>(1u << (B % 8));
    Base[B / 8] = ((V >> I) & 1) ? (Base[B / 8] | Mask) : (Base[B / 8] & ~Mask);
  }
}

Value readValue(const unsigned char *Base, const MigrationStep &S) {
  Value V;
  if (S.FromKind == 'f') {
    V.IsFloat = true;
    const unsigned char *P = Base + S.From / 8;
    if (S.FromBytes == 4) {
      float X;
      std::memcpy(&X, P, 4);
      V.F = X;
    } else if (S.FromBytes == 8) {
      double X;
      std::memcpy(&X, P, 8);
      V.F = X;
    } else {
      long double X;
      std::memcpy(&X, P, sizeof(X));
      V.F = X;
    }
    return V;
  }
  unsigned Width =
      S.FromBitWidth ? S.FromBitWidth : static_cast<unsigned>(S.FromBytes * 8);
  V.Bits = readBits(Base, S.From, Width);
  V.IsSigned = S.FromKind == 'i';
  if (V.IsSigned && Width < 64 && (V.Bits >> (Width - 1)) & 1)
    V.Bits |= ~uint64_t(0) << Width; // Sign extension.
  if (S.FromKind == 'b')
    V.Bits = V.Bits != 0;
  return V;
}

void writeValue(unsigned char *Base, const MigrationStep &S, const Value &V) {
  if (S.ToKind == 'f') {
    long double X = V.IsFloat ? V.F
                    : V.IsSigned
                        ? static_cast<long double>(static_cast<int64_t>(V.Bits))
                        : static_cast<long double>(V.Bits);
    unsigned char *P = Base + S.To / 8;
    if (S.ToBytes == 4) {
      float F = static_cast<float>(X);
      std::memcpy(P, &F, 4);
    } else if (S.ToBytes == 8) {
      double D = static_cast<double>(X);
      std::memcpy(P, &D, 8);
    } else {
      std::memcpy(P, &X, sizeof(X));
    }
    return;
  }
  unsigned Width =
      S.ToBitWidth ? S.ToBitWidth : static_cast<unsigned>(S.ToBytes * 8);
  uint64_t Bits;
  if (S.ToKind == 'b') {
    Bits = V.IsFloat ? V.F != 0 : V.Bits != 0;
  } else if (V.IsFloat) {
    // C leaves a float out of the integer's range undefined: saturate to
    // the new type's range.
    long double X = V.F != V.F ? 0 : V.F;
    if (S.ToKind == 'i') {
      long double Max = std::ldexp(1.0L, Width - 1) - 1, Min = -Max - 1;
      X = std::min(std::max(X, Min), Max);
      Bits = static_cast<uint64_t>(static_cast<int64_t>(X));
    } else {
      long double Max = std::ldexp(1.0L, Width) - 1;
      X = std::min(std::max(X, 0.0L), Max);
      Bits = static_cast<uint64_t>(X);
    }
  } else {
    Bits = V.Bits; // Modulo the new width, as C converts to unsigned.
  }
  writeBits(Base, S.To, Width, Bits);
}

} // namespace

bool planMigration(const std::string &Old, const std::string &New,
                   MigrationPlan &Plan, std::string &Why) {
  Node O, N;
  if (!Parser(Old).parseAll(O)) {
    Why = "the old layout '" + Old + "' does not parse";
    return false;
  }
  if (!Parser(New).parseAll(N)) {
    Why = "the new layout '" + New + "' does not parse";
    return false;
  }
  Plan = MigrationPlan();
  Planner P(Plan);
  if (!P.plan(O, 0, 0, N, 0, 0, "")) {
    Why = P.Why;
    return false;
  }
  return true;
}

namespace {

/// Runs S at each iteration of its loops from Level in.
void applyStep(const MigrationStep &S, size_t Level, const unsigned char *In,
               unsigned char *Out, uint64_t FromShift, uint64_t ToShift) {
  if (Level == S.Loops.size()) {
    if (!S.Convert) {
      std::memcpy(Out + S.To + ToShift, In + S.From + FromShift, S.Size);
      return;
    }
    MigrationStep At = S;
    At.From += FromShift * 8, At.To += ToShift * 8;
    writeValue(Out, At, readValue(In, At));
    return;
  }
  const MigrationStep::Loop &L = S.Loops[Level];
  for (uint64_t I = 0; I < L.Count; ++I)
    applyStep(S, Level + 1, In, Out, FromShift + I * L.FromStride,
              ToShift + I * L.ToStride);
}

} // namespace

void applyMigration(const MigrationPlan &Plan, const void *From, void *To) {
  const auto *In = static_cast<const unsigned char *>(From);
  auto *Out = static_cast<unsigned char *>(To);
  for (const MigrationStep &S : Plan.Steps)
    applyStep(S, 0, In, Out, 0, 0);
}

} // namespace hcr
