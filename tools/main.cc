#include "cli/command.h"

int main(int argc, char** argv) { return xport::cli::run_main(argc, argv); }
