//===- Link.cpp - linking a generated library with LLVM's lld -------------===//
//
// lld runs as a child process (Debian's lld-22): a linker error cannot take
// kilnc down with it, and kilnc does not carry a linker in its binary.
//
//===----------------------------------------------------------------------===//

#include "codegen/Library/Link.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/FileUtilities.h"

using namespace mlir;

namespace {

/// ld.lld: the one found when Kiln was configured, else on PATH.
llvm::ErrorOr<std::string> findLinker() {
#ifdef KILN_LLD_PATH
  if (llvm::sys::fs::can_execute(KILN_LLD_PATH))
    return std::string(KILN_LLD_PATH);
#endif
  for (const char *name : {"ld.lld-22", "ld.lld"})
    if (llvm::ErrorOr<std::string> path = llvm::sys::findProgramByName(name))
      return path;
  return std::make_error_code(std::errc::no_such_file_or_directory);
}

} // namespace

llvm::Error mlir::kiln::linkSharedLibrary(llvm::StringRef object,
                                          llvm::StringRef output,
                                          llvm::StringRef soname) {
  llvm::ErrorOr<std::string> linker = findLinker();
  if (!linker)
    return llvm::createStringError(linker.getError(),
                                   "cannot find ld.lld (install Debian's lld-22)");
  std::string sonameArg = "-soname=" + soname.str();
  llvm::SmallVector<llvm::StringRef> args{
      *linker, "-shared", "-o", output, object,
      sonameArg, "--no-undefined", "--as-needed", "--gc-sections",
      "--hash-style=gnu", "--build-id", "-z", "noexecstack", "-z", "relro",
      "-z", "now", "-L/usr/lib/x86_64-linux-gnu", "-L/lib/x86_64-linux-gnu",
      "-lm", "-lc"};
  llvm::SmallString<128> log;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile("kiln-lld", "log", fd, log))
    return llvm::createStringError(ec, "cannot create a temporary file");
  llvm::sys::Process::SafelyCloseFileDescriptor(fd);
  llvm::FileRemover removeLog(log);
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(log),
                                                llvm::StringRef(log)};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(*linker, args, std::nullopt, redirects,
                                         /*SecondsToWait=*/0, /*MemoryLimit=*/0,
                                         &message);
  if (status != 0) {
    std::string output;
    if (auto buffer = llvm::MemoryBuffer::getFile(log))
      output = (*buffer)->getBuffer().trim().str();
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "linking the library failed" + (message.empty() ? "" : ": " + message) +
            (output.empty() ? "" : "\n" + output));
  }
  return llvm::Error::success();
}
