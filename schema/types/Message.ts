import { Field, ID, ObjectType } from 'type-graphql';
import { SenderType } from './enums';

@ObjectType({ simpleResolvers: true })
export class Message {
  @Field(() => ID) id!: number;
  @Field(() => SenderType) senderType!: string;
  @Field(() => String) content!: string;
  @Field(() => Date) timestamp!: Date;
}
