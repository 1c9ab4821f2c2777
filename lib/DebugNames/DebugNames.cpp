//===- DebugNames.cpp - Source names in a rewritten module's DWARF --------===//
//
// The table is one C string, a line per entry (EntryPoints.cpp writes it):
//   f <code> <name>                 the function <code> is <name> in source
//   s <slot>                        a function's slot, or a variable of
//                                   the rewrite's own: no debug entry
//   g <slot> <name> <line> [<fn>]   the storage <slot> points to is the
//                                   variable <name>, declared at <line>
//                                   (0: the slot's), a static local of the
//                                   function whose code is <fn>
//   x <slot>                        that variable has external linkage
//
// Besides the debug entries, the symbols: a slot becomes private (no symbol
// in the object), so that a debugger's `render_frame` or `world` means the
// program's function or variable, not a pointer of the same name in every
// module that calls or uses it; the code of f then takes f's name.
//
//===----------------------------------------------------------------------===//

#include "DebugNames.h"

#include "hcr/hcr.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/BinaryFormat/Dwarf.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DebugInfoMetadata.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/Utils/ModuleUtils.h"

using namespace llvm;

namespace hcr::debugnames {

/// Reads the table's text and deletes the table, which only this pass
/// needs (without the pass, as with another compiler, it stays in the
/// module's read-only data: harmless).
static std::optional<std::string> takeTable(Module &M) {
  GlobalVariable *Table = M.getGlobalVariable(TableName, /*AllowLocal=*/true);
  if (!Table)
    return std::nullopt;
  std::optional<std::string> Text;
  if (Table->hasInitializer())
    if (auto *Data = dyn_cast<ConstantDataSequential>(Table->getInitializer()))
      if (Data->isString())
        Text = Data->getAsCString().str();
  removeFromUsedLists(M, [&](Constant *C) { return C == Table; });
  // The list's old initializer still names it until dropped.
  Table->removeDeadConstantUsers();
  if (!Table->use_empty())
    return Text;
  // Its own debug entry goes too (the variable is not the program's).
  SmallVector<DIGlobalVariableExpression *, 1> Entries;
  Table->getDebugInfo(Entries);
  for (DICompileUnit *CU : M.debug_compile_units()) {
    SmallVector<Metadata *> Kept;
    for (DIGlobalVariableExpression *E : CU->getGlobalVariables())
      if (!llvm::is_contained(Entries, E))
        Kept.push_back(E);
    if (Kept.size() != CU->getGlobalVariables().size())
      CU->replaceGlobalVariables(MDTuple::get(M.getContext(), Kept));
  }
  Table->eraseFromParent();
  return Text;
}

/// Renames a debug-information node's name operand in place.
static void rename(MDNode *Node, MDString *Old, StringRef Name) {
  for (unsigned I = 0, E = Node->getNumOperands(); I != E; ++I)
    if (Node->getOperand(I) == Old) {
      Node->replaceOperandWith(I, MDString::get(Node->getContext(), Name));
      return;
    }
}

namespace {
/// The changes to the compile units' lists of globals: an entry replaced
/// by another, or dropped (null).
class GlobalsEdit {
public:
  void replace(DIGlobalVariableExpression *Old,
               DIGlobalVariableExpression *New) {
    Changes[Old] = New;
  }
  void apply(Module &M) {
    if (Changes.empty())
      return;
    for (DICompileUnit *CU : M.debug_compile_units()) {
      SmallVector<Metadata *> Kept;
      bool Changed = false;
      for (DIGlobalVariableExpression *E : CU->getGlobalVariables()) {
        auto It = Changes.find(E);
        if (It == Changes.end()) {
          Kept.push_back(E);
          continue;
        }
        Changed = true;
        if (It->second)
          Kept.push_back(It->second);
      }
      if (Changed)
        CU->replaceGlobalVariables(MDTuple::get(M.getContext(), Kept));
    }
  }

private:
  DenseMap<DIGlobalVariableExpression *, DIGlobalVariableExpression *> Changes;
};
} // namespace

/// The one debug entry of a slot, or null.
static DIGlobalVariableExpression *slotEntry(GlobalVariable *Slot) {
  SmallVector<DIGlobalVariableExpression *, 1> Entries;
  Slot->getDebugInfo(Entries);
  return Entries.size() == 1 ? Entries.front() : nullptr;
}

static bool renameFunction(Module &M, StringRef Code, StringRef Name) {
  Function *F = M.getFunction(Code);
  DISubprogram *SP = F ? F->getSubprogram() : nullptr;
  if (!SP)
    return false;
  rename(SP, SP->getRawName(), Name);
  return true;
}

static bool dropSlot(Module &M, StringRef SlotName, GlobalsEdit &Edit) {
  GlobalVariable *Slot = M.getGlobalVariable(SlotName, /*AllowLocal=*/true);
  DIGlobalVariableExpression *Entry = Slot ? slotEntry(Slot) : nullptr;
  if (!Entry)
    return false;
  Slot->eraseMetadata(LLVMContext::MD_dbg);
  Edit.replace(Entry, nullptr);
  return true;
}

static bool describeStorage(Module &M, StringRef SlotName, StringRef Name,
                            unsigned Line, StringRef Function, bool External,
                            GlobalsEdit &Edit) {
  GlobalVariable *Slot = M.getGlobalVariable(SlotName, /*AllowLocal=*/true);
  DIGlobalVariableExpression *Entry = Slot ? slotEntry(Slot) : nullptr;
  if (!Entry)
    return false;
  DIGlobalVariable *Var = Entry->getVariable();
  auto *Pointer = dyn_cast_or_null<DIDerivedType>(Var->getType());
  if (!Pointer || Pointer->getTag() != dwarf::DW_TAG_pointer_type ||
      !Pointer->getBaseType())
    return false;
  DIScope *Scope = Var->getScope();
  if (!Function.empty()) {
    llvm::Function *F = M.getFunction(Function);
    if (DISubprogram *SP = F ? F->getSubprogram() : nullptr)
      Scope = SP;
  }
  LLVMContext &Ctx = M.getContext();
  auto *Storage = DIGlobalVariable::getDistinct(
      Ctx, Scope, Name, /*LinkageName=*/"", Var->getFile(),
      Line ? Line : Var->getLine(), Pointer->getBaseType(),
      /*IsLocalToUnit=*/!External, Var->isDefinition(),
      /*StaticDataMemberDeclaration=*/nullptr, /*TemplateParams=*/nullptr,
      /*AlignInBits=*/0, /*Annotations=*/nullptr);
  // The variable lives where the slot points: the address is the slot's
  // value, which stays right across reloads and migrations.
  auto *New = DIGlobalVariableExpression::get(
      Ctx, Storage, DIExpression::get(Ctx, {dwarf::DW_OP_deref}));
  Slot->eraseMetadata(LLVMContext::MD_dbg);
  Slot->addDebugInfo(New);
  Edit.replace(Entry, New);
  return true;
}

/// A slot keeps no symbol: private, under a name of its own (freeing its
/// name for the function whose code is renamed to it).
static void hideSlot(Module &M, StringRef SlotName) {
  GlobalVariable *Slot = M.getGlobalVariable(SlotName, /*AllowLocal=*/true);
  if (!Slot || !Slot->hasLocalLinkage())
    return;
  Slot->setLinkage(GlobalValue::PrivateLinkage);
  Slot->setName("hcr.slot." + SlotName);
}

/// The code of a function takes the source's name, once no slot holds it;
/// a function the module exports keeps its symbol.
static void renameCode(Module &M, StringRef Code, StringRef Name) {
  Function *F = M.getFunction(Code);
  if (F && F->hasLocalLinkage() && !M.getNamedValue(Name))
    F->setName(Name);
}

/// The statics of the entry points the rewrite appends (an initializer's
/// `hcr_value`, named `hcr_module_init.hcr_value` by clang) keep no symbol
/// either.
static void hideEntryPointStatics(Module &M) {
  for (GlobalVariable &G : M.globals()) {
    StringRef Name = G.getName();
    if (!G.hasLocalLinkage() || !(Name.starts_with(HCR_MODULE_PREFIX) ||
                                  Name.starts_with(HCR_HOST_PREFIX)))
      continue;
    auto [Function, Static] = Name.split('.');
    if (!Static.empty() && M.getFunction(Function))
      G.setLinkage(GlobalValue::PrivateLinkage);
  }
}

bool applyDebugNames(Module &M) {
  std::optional<std::string> Table = takeTable(M);
  if (!Table)
    return false;
  bool Debug = !M.debug_compile_units().empty();
  GlobalsEdit Edit;
  SmallVector<StringRef> Lines, Fields;
  SmallVector<std::pair<StringRef, StringRef>> Renamed;
  StringRef(*Table).split(Lines, '\n', -1, /*KeepEmpty=*/false);
  StringSet<> External;
  for (StringRef Line : Lines)
    if (Line.consume_front("x "))
      External.insert(Line.trim());
  for (StringRef Line : Lines) {
    Fields.clear();
    Line.split(Fields, ' ', -1, /*KeepEmpty=*/false);
    if (Fields.size() == 3 && Fields[0] == "f") {
      if (Debug)
        renameFunction(M, Fields[1], Fields[2]);
      Renamed.emplace_back(Fields[1], Fields[2]);
    } else if (Fields.size() == 2 && Fields[0] == "s") {
      if (Debug)
        dropSlot(M, Fields[1], Edit);
      hideSlot(M, Fields[1]);
    } else if ((Fields.size() == 4 || Fields.size() == 5) && Fields[0] == "g") {
      unsigned DeclLine = 0;
      if (Fields[3].getAsInteger(10, DeclLine))
        DeclLine = 0;
      if (Debug)
        describeStorage(M, Fields[1], Fields[2], DeclLine,
                        Fields.size() == 5 ? Fields[4] : StringRef(),
                        External.contains(Fields[1]), Edit);
      hideSlot(M, Fields[1]);
    }
    // Anything else is from a newer rewrite: ignored, as an unknown
    // entry only costs its debug name.
  }
  Edit.apply(M);
  for (auto &[Code, Name] : Renamed)
    renameCode(M, Code, Name);
  hideEntryPointStatics(M);
  return true;
}

PreservedAnalyses DebugNamesPass::run(Module &M, ModuleAnalysisManager &) {
  return applyDebugNames(M) ? PreservedAnalyses::none()
                            : PreservedAnalyses::all();
}

} // namespace hcr::debugnames
