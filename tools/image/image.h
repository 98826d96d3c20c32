// Images of a root: the same root gives the same bytes. tar and cpio (newc, what the kernel
// unpacks as an initramfs) are written with libarchive: entries in path order, owned by root,
// every mtime clamped to `epoch`; ext4 is made by mke2fs -d with a UUID and hash seed derived
// from the root's content and timestamps from SOURCE_DATE_EPOCH.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"

namespace xport {

enum class ImageFormat { Tar, Cpio, Ext4 };

/// "tar", "cpio" or "ext4"; anything else is an Error listing them.
Expected<ImageFormat> parse_image_format(const std::string& name);

/// Writes the image of `root` to `output` (aside, then renamed into place). Times later than
/// `epoch` become `epoch`.
Status write_image(const std::string& root, ImageFormat format, const std::string& output, int64_t epoch);

/// The same for tar and cpio with several roots laid over each other: a path takes its entry
/// from the last layer that has it (xport boot lays its init and script over a root).
Status write_image_layers(const std::vector<std::string>& layers, ImageFormat format, const std::string& output,
                          int64_t epoch);

/// The newest install date in a root's pacman database (xport rootfs gives every package the
/// newest build date), so that the image of the same root is the same file; none without one.
std::optional<int64_t> root_install_epoch(const std::string& root);

}  // namespace xport
