export declare function sourceHash(root: string): string;
export declare const STAMP: string;
