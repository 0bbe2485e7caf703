export {
  aliasBucket,
  aliasRoutesProblem,
  liveAlias,
  routeForConversation,
  sameRoutes,
  type AliasRoute,
} from './aliases';
