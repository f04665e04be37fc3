// ARNs of Auto Scaling resources, in AWS's format: a UUID, then the resource's name.
import { randomUUID } from "node:crypto";

export function groupArn(region: string, accountId: string, name: string): string {
  return `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:${randomUUID()}:autoScalingGroupName/${name}`;
}

export function launchConfigurationArn(region: string, accountId: string, name: string): string {
  return `arn:aws:autoscaling:${region}:${accountId}:launchConfiguration:${randomUUID()}:launchConfigurationName/${name}`;
}

export function serviceLinkedRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}
