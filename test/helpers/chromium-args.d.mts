export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: string[];
export declare function chromiumEnv(env: Record<string, string | undefined>): Record<string, string>;
