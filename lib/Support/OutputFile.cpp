//===- OutputFile.cpp - atomic output files that never replace an input --===//

#include "lib/Support/OutputFile.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

using namespace llvm;

namespace mlir::kiln {

Error writeOutputFile(StringRef path, ArrayRef<std::string> inputs,
                      const std::function<bool(raw_ostream &)> &write) {
  if (path == "-") {
    if (!write(outs()))
      return createStringError(inconvertibleErrorCode(), "writing to stdout failed");
    outs().flush();
    return Error::success();
  }
  SmallString<256> target;
  if (sys::fs::real_path(path, target))
    target = path; // does not exist yet
  // Devices and pipes (/dev/null, /dev/stdout) are written in place.
  sys::fs::file_status status;
  if (!sys::fs::status(path, status) && sys::fs::exists(status) &&
      !sys::fs::is_regular_file(status) && !sys::fs::is_directory(status)) {
    std::error_code ec;
    raw_fd_ostream os(path, ec);
    if (ec)
      return createStringError(ec, "cannot open '%s': %s", path.str().c_str(),
                               ec.message().c_str());
    if (!write(os) || (os.flush(), os.has_error())) {
      os.clear_error();
      return createStringError(inconvertibleErrorCode(), "writing '%s' failed",
                               path.str().c_str());
    }
    return Error::success();
  }
  for (const std::string &input : inputs) {
    SmallString<256> real;
    if (!sys::fs::real_path(input, real) && real == target)
      return createStringError(inconvertibleErrorCode(),
                               "refusing to overwrite the input '%s'",
                               input.c_str());
  }
  SmallString<256> temp;
  StringRef dir = sys::path::parent_path(path);
  SmallString<256> model(dir.empty() ? "." : dir);
  sys::path::append(model, "." + sys::path::filename(path).str() + ".tmp-%%%%%%");
  int fd;
  if (std::error_code ec = sys::fs::createUniqueFile(model, fd, temp))
    return createStringError(ec, "cannot create a temporary file beside '%s': %s",
                             path.str().c_str(), ec.message().c_str());
  bool ok;
  {
    raw_fd_ostream os(fd, /*shouldClose=*/true);
    ok = write(os);
    os.flush();
    ok = ok && !os.has_error();
    os.clear_error();
  }
  if (!ok) {
    sys::fs::remove(temp);
    return createStringError(inconvertibleErrorCode(), "writing '%s' failed",
                             path.str().c_str());
  }
  if (std::error_code ec = sys::fs::rename(temp, path)) {
    sys::fs::remove(temp);
    return createStringError(ec, "cannot move the output into place at '%s': %s",
                             path.str().c_str(), ec.message().c_str());
  }
  return Error::success();
}

} // namespace mlir::kiln
