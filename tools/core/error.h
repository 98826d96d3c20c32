// Errors carried as values. Library code never prints and never exits: it returns an Error (or an
// Expected<T>) and lets the caller add context; only main() prints "xport: error:".
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace xport {

/// A failure described for a person: what went wrong and, where known, with which file.
class Error {
 public:
  explicit Error(std::string message) : message_(std::move(message)) {}

  const std::string& message() const { return message_; }

  /// Prefixes the message with where it happened, e.g. a file name: "arch/foo.yaml: ...".
  Error with_context(const std::string& where) const { return Error(where + ": " + message_); }

 private:
  std::string message_;
};

/// Either a value or the Error that prevented it.
template <typename T>
class Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}
  Expected(Error error) : state_(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

/// The result of an operation that produces nothing but can fail.
class Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), failed_(true) {}

  static Status success() { return Status(); }
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return error_; }

 private:
  Error error_{""};
  bool failed_ = false;
};

}  // namespace xport
