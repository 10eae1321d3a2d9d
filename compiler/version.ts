/** The tsfpga version, stamped into generated files and printed by --version. */
export const VERSION = "0.1.0";
