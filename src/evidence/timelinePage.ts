/** Timeline rows rendered at a time: enough for any sign-in, few enough to render in one frame. */
export const TIMELINE_PAGE = 100;
