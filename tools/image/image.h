// Images of a root: the same root gives the same bytes. tar and cpio (newc, what the kernel
// unpacks as an initramfs) are written with libarchive: entries in path order, owned by root,
// every mtime clamped to `epoch`; ext4 is made by mke2fs -d with a UUID and hash seed derived
// from the root's content and timestamps from SOURCE_DATE_EPOCH.
#pragma once

#include <cstdint>
#include <string>

#include "core/error.h"

namespace xport {

enum class ImageFormat { Tar, Cpio, Ext4 };

/// "tar", "cpio" or "ext4"; anything else is an Error listing them.
Expected<ImageFormat> parse_image_format(const std::string& name);

/// Writes the image of `root` to `output` (aside, then renamed into place). Times later than
/// `epoch` become `epoch`.
Status write_image(const std::string& root, ImageFormat format, const std::string& output, int64_t epoch);

}  // namespace xport
