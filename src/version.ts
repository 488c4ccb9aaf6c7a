/** The compiler's version, written into every artifact header. A test keeps it equal to package.json's. */
export const rolecVersion = "0.1.0";
